import { isDuplicateKey } from '../../../common/db-errors';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import { join } from 'path';
import { AID_APPLICATION_OPEN_STATUSES, AID_APPLICATION_STATUSES, AidDocumentKind, AidDocumentView, MAX_APPLICATION_DOCUMENT_BYTES, MAX_APPLICATION_DOCUMENTS, sanitizeFileName } from '@union/shared';
import { AuditService } from '../../../common/audit.service';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import type { User } from '../../auth/user.entity';
import { AidApplicationErrors as E } from './aid-applications.errors';
import { AidApplicationsRepository } from './aid-applications.repository';
import { AidApplicationsService, applicationDocumentsDir } from './aid-applications.service';
import { Clock } from './clock';

/** What the first bytes of a file say it is; only JPEG, PNG and PDF are kept (the declared type and name are ignored). */
export function sniffDocument(buf: Buffer): { ext: 'jpg' | 'png' | 'pdf'; contentType: string } | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { ext: 'jpg', contentType: 'image/jpeg' };
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { ext: 'png', contentType: 'image/png' };
  if (buf.length >= 5 && buf.toString('latin1', 0, 5) === '%PDF-') return { ext: 'pdf', contentType: 'application/pdf' };
  return null;
}

/** The name shown for an uploaded document: the client's file name decoded as UTF-8, through the shared `sanitizeFileName`. */
function displayName(original: string | undefined, ext: string): string {
  let name = String(original ?? '');
  try {
    // multer hands over the multipart filename as latin1; browsers send UTF-8
    const utf8 = Buffer.from(name, 'latin1').toString('utf8');
    if (!utf8.includes('\uFFFD')) name = utf8;
  } catch {
    // keep as is
  }
  // the shared file-name rule: no directories, controls, bidi overrides or path characters; ≤ 100 code points (the column)
  return sanitizeFileName(name, `材料.${ext}`, 100);
}

const EDITABLE_BY_HANDLER = ['accepted', 'visiting', 'info_requested'];

/**
 * Supporting documents of an application (applicant, up to 5) and photos of the home visit (handler, up
 * to 5): checked by size and magic bytes, stored under `<UPLOAD_DIR>/aid-applications/` with a random
 * name, and served only to the applicant (their own documents) and staff of the org's subtree (every
 * staff read audited); anyone else gets 404.
 */
@Injectable()
export class AidApplicationDocumentsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: AidApplicationsRepository,
    private readonly applications: AidApplicationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private get dir(): string {
    return applicationDocumentsDir(this.config);
  }

  /**
   * Adds a document: the applicant's own while the application is open; a visit photo by the handler.
   * @throws 404; 400 DOCUMENT_MISSING; 413 DOCUMENT_TOO_LARGE; 415 DOCUMENT_TYPE; 409 DOCUMENT_LIMIT / APPLICATION_STATE; 403 NOT_HANDLER.
   */
  async add(user: User, id: number, file: { buffer: Buffer; originalname?: string } | undefined): Promise<AidDocumentView> {
    const { app, asStaff } = await this.applications.readable(user, id);
    let kind: AidDocumentKind;
    if (asStaff) {
      if (app.handlerId !== user.id) throw E.notHandler();
      if (!EDITABLE_BY_HANDLER.includes(app.status)) throw E.state('上传核实照片');
      kind = 'visit';
    } else {
      if (!AID_APPLICATION_OPEN_STATUSES.includes(app.status)) throw E.state('上传材料');
      kind = 'applicant';
    }
    if (!file?.buffer?.length) throw E.documentMissing();
    if (file.buffer.length > MAX_APPLICATION_DOCUMENT_BYTES) throw E.documentTooLarge();
    const type = sniffDocument(file.buffer);
    if (!type) throw E.documentType();

    const fileName = `${randomBytes(18).toString('base64url')}.${type.ext}`;
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(join(this.dir, fileName), file.buffer, { flag: 'wx', mode: 0o600 });
    try {
      // slots 1…5 are unique per application and kind: a concurrent upload taking the same slot fails and retries
      for (let attempt = 0; ; attempt++) {
        try {
          const doc = await this.repo.transaction(async (em) => {
            const used = new Set(await this.repo.usedSlots(em, id, kind));
            const slot = Array.from({ length: MAX_APPLICATION_DOCUMENTS }, (_, i) => i + 1).find((s) => !used.has(s));
            if (!slot) throw E.documentLimit();
            const now = this.clock.now();
            const d = await this.repo.insertDocument(em, {
              applicationId: id, kind, slot, fileName, originalName: displayName(file.originalname, type.ext), contentType: type.contentType,
              bytes: file.buffer.length, uploadedById: user.id, createdAt: now,
            });
            await this.applications.event(em, id, 'document_added', user.id, asStaff ? 'staff' : 'applicant', kind === 'visit' ? '入户核实照片' : d.originalName, now);
            if (asStaff) await this.audit.record(user.id, 'add_document', 'aid_application', [id], [`document:${d.id}`], em);
            return d;
          });
          return this.applications.documentView(doc);
        } catch (e) {
          if (!isDuplicateKey(e) || attempt >= MAX_APPLICATION_DOCUMENTS) throw e;
        }
      }
    } catch (e) {
      await fs.rm(join(this.dir, fileName), { force: true });
      throw e;
    }
  }

  /**
   * The applicant deletes one of their own documents (the right to delete, PIPL art. 47): the row goes in a
   * transaction that first updates the application row unless it is approved (so an approval and a deletion
   * serialise: documents of an approved application are kept as the aid file requires), the deletion is
   * audited (`delete`, `aid_application_document`) and put on the timeline; then the file is removed from disk.
   * @throws 403 NOT_APPLICANT to staff of the subtree; 404 APPLICATION_NOT_FOUND / DOCUMENT_NOT_FOUND to anyone
   * else or for a visit photo; 409 DOCUMENT_RETAINED once approved.
   */
  async remove(user: User, id: number, docId: number): Promise<void> {
    await this.applications.asApplicant(user, id);
    const doc = await this.repo.findDocument(docId);
    if (!doc || doc.applicationId !== id || doc.kind !== 'applicant') throw E.documentNotFound();
    const now = this.clock.now();
    await this.repo.transaction(async (em) => {
      const notApproved = AID_APPLICATION_STATUSES.filter((s) => s !== 'approved');
      if (!(await this.repo.transition(em, id, notApproved, { updatedAt: now }, { ownerId: user.id }))) throw E.documentRetained();
      if (!(await this.repo.deleteDocuments(em, [docId]))) throw E.documentNotFound();
      await this.applications.event(em, id, 'document_deleted', user.id, 'applicant', doc.originalName, now);
      await this.audit.record(user.id, 'delete', 'aid_application_document', [docId], ['document', `application:${id}`], em);
    });
    await this.applications.removeDocumentFiles([doc.fileName]);
  }

  /** The bytes of a document for its applicant (own documents) or staff of the subtree (audited). @throws 404 otherwise. */
  async read(user: User, id: number, docId: number): Promise<{ data: Buffer; contentType: string; name: string }> {
    const { asStaff } = await this.applications.readable(user, id);
    const doc = await this.repo.findDocument(docId);
    if (!doc || doc.applicationId !== id || (!asStaff && doc.kind !== 'applicant')) throw E.documentNotFound();
    let data: Buffer;
    try {
      data = await fs.readFile(join(this.dir, doc.fileName));
    } catch {
      throw E.documentNotFound();
    }
    if (asStaff) await this.audit.record(user.id, 'read', 'aid_application_document', [doc.id], ['document', `application:${id}`]);
    return { data, contentType: doc.contentType, name: doc.originalName };
  }
}
