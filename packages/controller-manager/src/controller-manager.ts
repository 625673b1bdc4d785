// kube-controller-manager in one function: while leading, one informer factory and one event broadcaster shared by
// every selected controller; each controller runs its own work queue until leadership ends or the process stops.
import { setMaxListeners } from 'node:events';
import { EventBroadcaster, SharedInformerFactory, WorkQueueMetrics, realClock, type KubeClient } from '@k8ts/client';
import type { Logger, Registry } from '@k8ts/observability';
import type { ControllerContext, ControllerDescriptor, ControllerSettings } from './controller-context.js';

export interface ControllerManagerWork {
  client: KubeClient;
  logger: Logger;
  registry: Registry;
  controllers: ControllerDescriptor[];
  settings: ControllerSettings;
  signal: AbortSignal;
}

/** Runs `controllers` until `signal` aborts, then waits for them to finish and flushes pending events. */
export async function runControllers(w: ControllerManagerWork): Promise<void> {
  const informers = new SharedInformerFactory(w.client, { logger: w.logger });
  const broadcaster = new EventBroadcaster({ client: w.client, logger: w.logger });
  const ctx: ControllerContext = {
    client: w.client,
    informers,
    recorder: (component) => broadcaster.newRecorder({ component }),
    logger: w.logger,
    registry: w.registry,
    workQueueMetrics: WorkQueueMetrics.for(w.registry),
    clock: realClock,
    settings: w.settings,
  };
  // Controllers register their informers synchronously when they start, so the factory starts them all after.
  // Each controller gets its own signal, aborted with the manager's: the shared one would otherwise collect a
  // listener per informer wait and worker of every controller (and Node warns past 10 listeners on one signal).
  const own = new AbortController();
  setMaxListeners(w.controllers.length + 10, own.signal);
  w.signal.addEventListener('abort', () => own.abort(), { once: true });
  const running = w.controllers.map((c) => {
    w.logger.info({ controller: c.name }, 'starting controller');
    const signal = new AbortController();
    setMaxListeners(50, signal.signal);
    own.signal.addEventListener('abort', () => signal.abort(), { once: true });
    return c.start(ctx, signal.signal).catch((err: unknown) => w.logger.error({ err, controller: c.name }, 'controller failed'));
  });
  informers.start();
  await Promise.all(running);
  await informers.stop();
  await broadcaster.shutdown();
}
