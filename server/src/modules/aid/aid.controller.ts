import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { RateLimited } from '../../common/rate-limit.guard';
import { FastRoute } from '../../common/fast-routes';
import { CurrentUser, Public, Roles } from '../../common/auth.decorators';
import { OptionalIdempotencyKeyHeader } from '../../common/idempotency';
import { IdParamDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import { AidErrors as E } from './aid.errors';
import {
  ApprovePayoutBatchDto, BankResultImportDto, BatchListQueryDto, BindHouseholdDto, CreateHouseholdDto, CreateOneOffPayoutDto, CreatePayoutBatchDto, ExitHouseholdDto,
  HouseholdCodeParam, HouseholdListQueryDto, ImportHouseholdsDto, MonitoringQueryDto, PayoutListQueryDto, UpdateHouseholdDto, UpdatePayoutDto,
} from './dto/aid.dto';
import { HouseholdCodesService } from './household-codes.service';
import { HouseholdsService } from './households.service';
import { MonitoringService } from './monitoring.service';
import { PayoutsService } from './payouts.service';

/** CSV uploads: multer's default in-memory storage, 5 MB at most (larger → 413). */
const CSV_UPLOAD = FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024, files: 1 } });
const STAFF = ['union_staff', 'admin'] as const;

/** The text of an uploaded CSV file, or of the JSON `csv` field. */
function csvText(file: Express.Multer.File | undefined, csv: string | undefined): string {
  if (file?.buffer?.length) return file.buffer.toString('utf8');
  if (csv) return csv;
  throw E.fileRequired();
}

@ApiTags('aid')
@ApiBearerAuth()
@Controller('aid')
export class AidController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly payouts: PayoutsService,
    private readonly codes: HouseholdCodesService,
    private readonly monitoring: MonitoringService,
  ) {}

  // --- household files (staff)
  @Post('households')
  @Roles(...STAFF)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8–64 characters [A-Za-z0-9_-]; a retry with the same key and body returns the same file, another body is refused (422)' })
  register(@CurrentUser() user: User, @Body() dto: CreateHouseholdDto, @OptionalIdempotencyKeyHeader() key?: string) {
    return this.households.register(user, dto, key);
  }

  @Get('households')
  @Roles(...STAFF)
  list(@CurrentUser() user: User, @Query() q: HouseholdListQueryDto) {
    return this.households.list(user, q);
  }

  @Get('households/export.csv')
  @Roles(...STAFF)
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="households.csv"')
  exportHouseholds(@CurrentUser() user: User, @Query() q: HouseholdListQueryDto) {
    return this.households.exportCsv(user, q);
  }

  @Post('households/import')
  @Roles(...STAFF)
  @HttpCode(200)
  @UseInterceptors(CSV_UPLOAD)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, mode: { type: 'string', enum: ['partial', 'all_or_nothing'] }, csv: { type: 'string' } } } })
  importHouseholds(@CurrentUser() user: User, @UploadedFile() file: Express.Multer.File | undefined, @Body() dto: ImportHouseholdsDto) {
    return this.households.importCsv(user, csvText(file, dto.csv), dto.mode);
  }

  @Get('households/:id')
  @Roles(...STAFF)
  get(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.households.get(user, p.id);
  }

  @Patch('households/:id')
  @Roles(...STAFF)
  update(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: UpdateHouseholdDto) {
    return this.households.update(user, p.id, dto);
  }

  @Post('households/:id/activate')
  @Roles(...STAFF)
  @HttpCode(200)
  activate(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.households.activate(user, p.id);
  }

  @Post('households/:id/review')
  @Roles(...STAFF)
  @HttpCode(200)
  review(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.households.review(user, p.id);
  }

  @Post('households/:id/exit')
  @Roles(...STAFF)
  @HttpCode(200)
  exit(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: ExitHouseholdDto) {
    return this.households.exit(user, p.id, dto);
  }

  @Get('households/:id/card')
  @Roles(...STAFF)
  card(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.households.card(user, p.id);
  }

  @Post('households/:id/code/reissue')
  @Roles(...STAFF)
  @HttpCode(200)
  reissue(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.households.reissueCode(user, p.id);
  }

  @Get('households/:id/payouts')
  @Roles(...STAFF)
  householdPayouts(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.payouts.householdPayouts(user, p.id);
  }

  // --- the household code (public) and binding (logged-in user)
  @Public()
  @UseGuards(ThrottlerGuard)
  @Get('household-codes/:code')
  @FastRoute()
  lookup(@Param() p: HouseholdCodeParam) {
    return this.codes.lookup(p.code);
  }

  @UseGuards(ThrottlerGuard)
  @RateLimited('householdBinding')
  @Post('bindings')
  @HttpCode(200)
  bind(@CurrentUser() user: User, @Body() dto: BindHouseholdDto) {
    return this.codes.bind(user, dto);
  }

  @Get('my')
  my(@CurrentUser() user: User) {
    return this.codes.my(user);
  }

  // --- payouts (staff)
  @Post('payout-batches')
  @Roles(...STAFF)
  createBatch(@CurrentUser() user: User, @Body() dto: CreatePayoutBatchDto) {
    return this.payouts.createBatch(user, dto);
  }

  @Get('payout-batches')
  @Roles(...STAFF)
  listBatches(@CurrentUser() user: User, @Query() q: BatchListQueryDto) {
    return this.payouts.listBatches(user, q);
  }

  @Get('payout-batches/:id')
  @Roles(...STAFF)
  getBatch(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.payouts.getBatch(user, p.id);
  }

  @Get('payout-batches/:id/payouts')
  @Roles(...STAFF)
  listPayouts(@CurrentUser() user: User, @Param() p: IdParamDto, @Query() q: PayoutListQueryDto) {
    return this.payouts.listPayouts(user, p.id, q);
  }

  @Post('payout-batches/:id/approve')
  @Roles(...STAFF)
  @HttpCode(200)
  approveBatch(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: ApprovePayoutBatchDto) {
    return this.payouts.approveBatch(user, p.id, dto.version);
  }

  @Post('payout-batches/:id/bank-results')
  @Roles(...STAFF)
  @HttpCode(200)
  @UseInterceptors(CSV_UPLOAD)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, csv: { type: 'string' } } } })
  importBankResults(@CurrentUser() user: User, @Param() p: IdParamDto, @UploadedFile() file: Express.Multer.File | undefined, @Body() dto: BankResultImportDto) {
    return this.payouts.importBankResults(user, p.id, csvText(file, dto.csv));
  }

  @Post('payouts/one-off')
  @Roles(...STAFF)
  createOneOff(@CurrentUser() user: User, @Body() dto: CreateOneOffPayoutDto) {
    return this.payouts.createOneOff(user, dto);
  }

  @Patch('payouts/:id')
  @Roles(...STAFF)
  updatePayout(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: UpdatePayoutDto) {
    return this.payouts.updateAmount(user, p.id, dto.amountFen);
  }

  // --- monitoring (staff)
  @Get('monitoring')
  @Roles(...STAFF)
  summary(@CurrentUser() user: User, @Query() q: MonitoringQueryDto) {
    return this.monitoring.summary(user, q.orgCode);
  }

  @Get('monitoring/export.csv')
  @Roles(...STAFF)
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="aid-monitoring.csv"')
  exportMonitoring(@CurrentUser() user: User, @Query() q: MonitoringQueryDto) {
    return this.monitoring.exportCsv(user, q.orgCode);
  }
}
