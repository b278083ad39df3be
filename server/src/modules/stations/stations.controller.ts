import {
  Body, CallHandler, Controller, Delete, ExecutionContext, Get, Header, HttpCode, Injectable, NestInterceptor, Param, Patch,
  PayloadTooLargeException, Post, Query, Res, StreamableFile, UploadedFile, UseGuards, UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { RateLimited } from '../../common/rate-limit.guard';
import { FastRoute } from '../../common/fast-routes';
import type { Response } from 'express';
import { catchError, Observable, throwError } from 'rxjs';
import { MAX_STATION_PHOTO_BYTES } from '@union/shared';
import { CurrentUser, Public, Roles } from '../../common/auth.decorators';
import { IdParamDto, PageQueryDto } from '../../common/paging.dto';
import type { User } from '../auth/user.entity';
import {
  AcceptKeeperInviteDto, CheckInDto, NearbyQueryDto, PhotoNameParam, RatingDto, ReportDto, ReportListQueryDto, StationCodeParam, StationImportDto, StationInputDto,
  StationListQueryDto, StationOperationsDto, StationPhotoParam, StationStatsQueryDto, UpdateStationDto, VisitListQueryDto,
} from './dto/stations.dto';
import { NearbyService } from './nearby.service';
import { PhotosService } from './photos.service';
import { StationCsvService } from './station-csv.service';
import { StationsErrors as E } from './stations.errors';
import { StationsService } from './stations.service';
import { VisitsService } from './visits.service';

/** (No storage option: multer keeps the upload in memory.) Turns multer's "file too large" into the module's own 413 PHOTO_TOO_LARGE. */
@Injectable()
class PhotoSizeErrors implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((e) => throwError(() => (e instanceof PayloadTooLargeException ? E.photoTooLarge() : e))));
  }
}

const STAFF = ['union_staff', 'admin'] as const;
const MANAGERS = ['union_staff', 'admin', 'station_keeper'] as const;

@ApiTags('stations')
@ApiBearerAuth()
@Controller('stations')
export class StationsController {
  constructor(
    private readonly stations: StationsService,
    private readonly nearbySearch: NearbyService,
    private readonly visitsService: VisitsService,
    private readonly photos: PhotosService,
    private readonly csv: StationCsvService,
  ) {}

  // --- public
  @Public()
  @UseGuards(ThrottlerGuard)
  @Get('nearby')
  @FastRoute()
  nearby(@Query() q: NearbyQueryDto) {
    return this.nearbySearch.nearby(q);
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Get('by-code/:code')
  byCode(@Param() p: StationCodeParam) {
    return this.stations.lookupCode(p.code);
  }

  @Public()
  @Get('photos/:name')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  async photo(@Param() p: PhotoNameParam, @Res({ passthrough: true }) res: Response) {
    const { data, contentType } = await this.photos.read(p.name);
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'public, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(data);
  }

  // --- staff and keepers (static paths before /:id)
  @Get('keepers')
  @Roles(...STAFF)
  keepers(@CurrentUser() user: User) {
    return this.stations.keepers(user);
  }

  /** Accepts a one-time keeper invite: the caller becomes the station's keeper. */
  @Post('keepers')
  acceptKeeperInvite(@CurrentUser() user: User, @Body() dto: AcceptKeeperInviteDto) {
    return this.stations.acceptKeeperInvite(user, dto.inviteCode);
  }

  @Get('mine')
  @Roles('station_keeper')
  mine(@CurrentUser() user: User) {
    return this.visitsService.keeperDashboard(user);
  }

  @Get('stats')
  @Roles(...STAFF)
  stats(@CurrentUser() user: User, @Query() q: StationStatsQueryDto) {
    return this.visitsService.stats(user, q);
  }

  @Get('export.csv')
  @Roles(...STAFF)
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="stations.csv"')
  exportCsv(@CurrentUser() user: User) {
    return this.csv.export(user);
  }

  @Post('import')
  @Roles(...STAFF)
  @HttpCode(200)
  importCsv(@CurrentUser() user: User, @Body() dto: StationImportDto) {
    return this.csv.import(user, dto.csv);
  }

  @Get('reports')
  @Roles(...MANAGERS)
  reports(@CurrentUser() user: User, @Query() q: ReportListQueryDto) {
    return this.visitsService.reports(user, q);
  }

  @Post('reports/:id/handle')
  @Roles(...MANAGERS)
  @HttpCode(200)
  handleReport(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.visitsService.handleReport(user, p.id);
  }

  /** 201 with a new check-in; 200 with the first one when repeated within 30 minutes. */
  @Post('checkins')
  @RateLimited('stationCheckIn')
  async checkIn(@CurrentUser() user: User, @Body() dto: CheckInDto, @Res({ passthrough: true }) res: Response) {
    const view = await this.visitsService.checkIn(user, dto);
    res.status(view.created ? 201 : 200);
    return view;
  }

  @Get()
  @Roles(...STAFF)
  list(@CurrentUser() user: User, @Query() q: StationListQueryDto) {
    return this.stations.list(user, q);
  }

  @Post()
  @Roles(...STAFF)
  create(@CurrentUser() user: User, @Body() dto: StationInputDto) {
    return this.stations.create(user, dto);
  }

  // --- one station
  @Public()
  @UseGuards(ThrottlerGuard)
  @Get(':id')
  detail(@Param() p: IdParamDto) {
    return this.stations.publicView(p.id);
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Get(':id/ratings')
  ratings(@Param() p: IdParamDto, @Query() q: PageQueryDto) {
    return this.visitsService.ratings(p.id, q);
  }

  @Get(':id/admin')
  @Roles(...MANAGERS)
  adminDetail(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.stations.getAdmin(user, p.id);
  }

  @Patch(':id')
  @Roles(...STAFF)
  update(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: UpdateStationDto) {
    return this.stations.update(user, p.id, dto);
  }

  @Patch(':id/operations')
  @Roles(...MANAGERS)
  updateOperations(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: StationOperationsDto) {
    return this.stations.updateOperations(user, p.id, dto);
  }

  @Get(':id/qr')
  @Roles(...MANAGERS)
  @ApiProduces('image/png')
  @Header('Content-Type', 'image/png')
  async qr(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return new StreamableFile(await this.stations.qrPng(user, p.id));
  }

  /** A one-time invite (24 h) for the station's keeper; staff of the station's subtree. */
  @Post(':id/keeper-invites')
  @Roles(...STAFF)
  createKeeperInvite(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.stations.createKeeperInvite(user, p.id);
  }

  @Post(':id/photos')
  @Roles(...MANAGERS)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(PhotoSizeErrors, FileInterceptor('file', { limits: { fileSize: MAX_STATION_PHOTO_BYTES, files: 1 } }))
  addPhoto(@CurrentUser() user: User, @Param() p: IdParamDto, @UploadedFile() file: { buffer: Buffer; size: number } | undefined) {
    return this.photos.add(user, p.id, file);
  }

  @Delete(':id/photos/:name')
  @Roles(...MANAGERS)
  removePhoto(@CurrentUser() user: User, @Param() p: StationPhotoParam) {
    return this.photos.remove(user, p.id, p.name);
  }

  @Get(':id/my-status')
  myStatus(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.visitsService.myStatus(user, p.id);
  }

  @Post(':id/ratings')
  rate(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: RatingDto) {
    return this.visitsService.rate(user, p.id, dto);
  }

  @Post(':id/reports')
  report(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: ReportDto) {
    return this.visitsService.report(user, p.id, dto);
  }

  @Get(':id/visits')
  @Roles(...MANAGERS)
  visits(@CurrentUser() user: User, @Param() p: IdParamDto, @Query() q: VisitListQueryDto) {
    return this.visitsService.visits(user, p.id, q);
  }
}
