export { DEFAULT_SETTINGS, type ControllerContext, type ControllerDescriptor, type ControllerSettings } from './controller-context.js';
export { runControllers, type ControllerManagerWork } from './controller-manager.js';
export { allControllers, selectControllers } from './controllers/index.js';
