/** Levels of the union federation tree, top to bottom. */
export const ORG_LEVELS = ['national', 'province', 'city', 'district', 'grassroots'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** A union organisation in short form. */
export interface OrgSummary {
  code: string;
  name: string;
  level: OrgLevel;
}

/** A union organisation. Coordinates are GCJ-02 degrees. */
export interface OrgView extends OrgSummary {
  parentCode: string | null;
  city: string | null;
  lat: number | null;
  lng: number | null;
  /** When true, membership applications to this org are approved on submission. */
  autoApprove: boolean;
}

/** `POST /api/orgs` (admin). */
export interface CreateOrgRequest {
  code: string;
  name: string;
  level: OrgLevel;
  parentCode?: string;
  city?: string;
  lat?: number;
  lng?: number;
}

/** `PATCH /api/orgs/{code}` (admin, or staff of the org's subtree for `autoApprove`). */
export interface UpdateOrgRequest {
  name?: string;
  autoApprove?: boolean;
}
