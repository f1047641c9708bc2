export * from './codes';
export * from './units';
export * from './plausibility';
export * from './normalize';
export * from './ingest';
export * from './stored';
export * from './binding';
