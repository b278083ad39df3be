import {
  Body, CallHandler, Controller, Delete, ExecutionContext, Get, HttpCode, Injectable, NestInterceptor, Param, PayloadTooLargeException, Post, Query, Res,
  StreamableFile, UploadedFile, UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { MAX_APPLICATION_DOCUMENT_BYTES } from '@union/shared';
import { CurrentUser, Roles } from '../../../common/auth.decorators';
import { OptionalIdempotencyKeyHeader } from '../../../common/idempotency';
import { RateLimited } from '../../../common/rate-limit.guard';
import { IdParamDto, PageQueryDto } from '../../../common/paging.dto';
import type { User } from '../../auth/user.entity';
import { AidApplicationDocumentsService } from './aid-application-documents.service';
import { AidApplicationErrors as E } from './aid-applications.errors';
import { AidApplicationsService } from './aid-applications.service';
import { ConfirmAidApplicationDto,
  AidApplicationListQueryDto, AidDecisionDto, AidNoticeQueryDto, AidOrgQueryDto, AnswerAidApplicationDto, CreateAidApplicationDto, DocumentParamDto,
  RecordAidVisitDto, RequestAidInfoDto, ScheduleAidVisitDto, WithdrawAidApplicationDto,
} from './dto/aid-applications.dto';

const STAFF = ['union_staff', 'admin'] as const;
const MulterDocument = FileInterceptor('file', { limits: { fileSize: MAX_APPLICATION_DOCUMENT_BYTES, files: 1 } });

/** multer's in-memory upload of one `file`; a file over 5 MB answers 413 DOCUMENT_TOO_LARGE like the service's own check. */
@Injectable()
export class DocumentUploadInterceptor implements NestInterceptor {
  private readonly multer = new MulterDocument();

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(ctx, next);
    } catch (e) {
      if (e instanceof PayloadTooLargeException) throw E.documentTooLarge();
      throw e;
    }
  }
}

@ApiTags('aid applications')
@ApiBearerAuth()
@Controller('aid')
export class AidApplicationsController {
  constructor(
    private readonly applications: AidApplicationsService,
    private readonly documents: AidApplicationDocumentsService,
  ) {}

  // --- the worker
  @Get('application-orgs')
  applicationOrgs(@Query() q: AidOrgQueryDto) {
    return this.applications.applicationOrgs(q);
  }

  @Post('applications')
  @Roles('user')
  @RateLimited('aidApplication')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8–64 characters [A-Za-z0-9_-]; a retry with the same key and body returns the same application, another body is refused (422)' })
  create(@CurrentUser() user: User, @Body() dto: CreateAidApplicationDto, @OptionalIdempotencyKeyHeader() key?: string) {
    return this.applications.create(user, dto, key);
  }

  @Get('applications/mine')
  mine(@CurrentUser() user: User, @Query() q: PageQueryDto) {
    return this.applications.mine(user, q);
  }

  // --- staff to-do (declared before `applications/:id`)
  @Get('applications/todo-counts')
  @Roles(...STAFF)
  todoCounts(@CurrentUser() user: User) {
    return this.applications.todoCounts(user);
  }

  @Get('applications')
  @Roles(...STAFF)
  list(@CurrentUser() user: User, @Query() q: AidApplicationListQueryDto) {
    return this.applications.list(user, q);
  }

  // --- one application: its applicant or staff of the org's subtree
  @Get('applications/:id')
  get(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.applications.get(user, p.id);
  }

  @Post('applications/:id/documents')
  @UseInterceptors(DocumentUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  addDocument(@CurrentUser() user: User, @Param() p: IdParamDto, @UploadedFile() file: Express.Multer.File | undefined) {
    return this.documents.add(user, p.id, file);
  }

  @Get('applications/:id/documents/:docId')
  @ApiProduces('image/jpeg', 'image/png', 'application/pdf')
  async readDocument(@CurrentUser() user: User, @Param() p: DocumentParamDto, @Res({ passthrough: true }) res: Response) {
    const doc = await this.documents.read(user, p.id, p.docId);
    res.set({
      'Content-Type': doc.contentType,
      'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(doc.name)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    return new StreamableFile(doc.data);
  }

  @Delete('applications/:id/documents/:docId')
  @HttpCode(204)
  async removeDocument(@CurrentUser() user: User, @Param() p: DocumentParamDto): Promise<void> {
    await this.documents.remove(user, p.id, p.docId);
  }

  @Post('applications/:id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: WithdrawAidApplicationDto) {
    return this.applications.withdraw(user, p.id, dto.reason);
  }

  @Post('applications/:id/answer')
  @HttpCode(200)
  answer(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: AnswerAidApplicationDto) {
    return this.applications.answer(user, p.id, dto.answer);
  }

  // --- handling (staff)
  @Post('applications/:id/accept')
  @Roles(...STAFF)
  @HttpCode(200)
  accept(@CurrentUser() user: User, @Param() p: IdParamDto) {
    return this.applications.accept(user, p.id);
  }

  @Post('applications/:id/request-info')
  @Roles(...STAFF)
  @HttpCode(200)
  requestInfo(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: RequestAidInfoDto) {
    return this.applications.requestInfo(user, p.id, dto.question);
  }

  @Post('applications/:id/visit-schedule')
  @Roles(...STAFF)
  @HttpCode(200)
  scheduleVisit(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: ScheduleAidVisitDto) {
    return this.applications.scheduleVisit(user, p.id, dto);
  }

  @Post('applications/:id/visit')
  @Roles(...STAFF)
  @HttpCode(200)
  recordVisit(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: RecordAidVisitDto) {
    return this.applications.recordVisit(user, p.id, dto);
  }

  @Post('applications/:id/decision')
  @Roles(...STAFF)
  @HttpCode(200)
  decide(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: AidDecisionDto) {
    return this.applications.decide(user, p.id, dto);
  }

  @Post('applications/:id/confirm')
  @Roles(...STAFF)
  @HttpCode(200)
  confirm(@CurrentUser() user: User, @Param() p: IdParamDto, @Body() dto: ConfirmAidApplicationDto) {
    return this.applications.confirm(user, p.id, dto.proposedAt);
  }

  // --- public notice (logged-in users within the org's subtree)
  @Get('notices')
  notices(@CurrentUser() user: User, @Query() q: AidNoticeQueryDto) {
    return this.applications.notices(user, q);
  }
}
