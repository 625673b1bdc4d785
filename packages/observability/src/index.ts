export { createLogger, isLogLevel, type Logger, type LoggerOptions } from './logger.js';
export {
  Counter,
  Gauge,
  Histogram,
  Registry,
  LATENCY_BUCKETS,
  PROMETHEUS_CONTENT_TYPE,
  registerProcessMetrics,
  type Labels,
} from './metrics.js';
export { startComponentServer, type ComponentServer, type ComponentServerOptions, type HealthCheck } from './component-server.js';
