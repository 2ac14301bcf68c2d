/** The web pages' public face: their module. */
export * from './web.module.js';
