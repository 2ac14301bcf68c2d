/** Operations' public face: its modules. */
export * from './operations.module.js';
