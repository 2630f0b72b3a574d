export * from './http';
export * from './types';
export * as publicApi from './publicApi';
export * as authApi from './authApi';
export * as designerApi from './designerApi';
export * as coordinatorApi from './coordinatorApi';
