export * from './common/errors';
export * from './common/paging';
export * from './common/masking';
export * from './common/money';
export * from './common/time';
export * from './auth';
export * from './orgs';
export * from './membership';
