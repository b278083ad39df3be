import type {
  ApplicationListQuery,
  ApplicationView,
  CreateApplicationRequest,
  CreateJoinCodeRequest,
  CreateTransferRequest,
  JoinCodeLookup,
  JoinCodeView,
  MemberCardView,
  MembershipStats,
  Page,
  PageQuery,
  RejectApplicationRequest,
} from '@union/shared';
import { request, withQuery } from './client';

const enc = encodeURIComponent;

// Join codes
export const lookupJoinCode = (code: string) =>
  request<JoinCodeLookup>('GET', `/membership/join-codes/${enc(code)}`);

export const listJoinCodes = (query: PageQuery = {}) =>
  request<Page<JoinCodeView>>('GET', withQuery('/membership/join-codes', { ...query }));

export const createJoinCode = (body: CreateJoinCodeRequest) =>
  request<JoinCodeView>('POST', '/membership/join-codes', body);

export const revokeJoinCode = (code: string) =>
  request<JoinCodeView>('POST', `/membership/join-codes/${enc(code)}/revoke`);

// Applications
export const submitApplication = (body: CreateApplicationRequest) =>
  request<ApplicationView>('POST', '/membership/applications', body);

export const submitTransfer = (body: CreateTransferRequest) =>
  request<ApplicationView>('POST', '/membership/transfers', body);

export const listMyApplications = (query: PageQuery = {}) =>
  request<Page<ApplicationView>>('GET', withQuery('/membership/applications/mine', { ...query }));

export const listApplications = (query: ApplicationListQuery = {}) =>
  request<Page<ApplicationView>>('GET', withQuery('/membership/applications', { ...query }));

export const approveApplication = (id: number) =>
  request<ApplicationView>('POST', `/membership/applications/${id}/approve`);

export const rejectApplication = (id: number, body: RejectApplicationRequest) =>
  request<ApplicationView>('POST', `/membership/applications/${id}/reject`, body);

// Card and statistics
export const getMemberCard = () => request<MemberCardView>('GET', '/membership/card');

export const getMembershipStats = () => request<MembershipStats>('GET', '/membership/stats');
