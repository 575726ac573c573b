/**
 * The HPA recommend loop: every sync period, for every HPA, read the target's scale, the pods and
 * the metrics as the controller would, run the engine with the HPA's remembered history, and
 * publish the decision (DecisionReader, self-metrics, an Event when we disagree with the
 * controller). The history follows horizontal.go: nothing before the first successful scale read,
 * then the engine's returned memory. One HPA's failure is its own record, never another's.
 * @module
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type {
  ClusterView,
  EventRecorder,
  HpaSource,
  InvolvedObject,
  ScaleTargetRef,
} from '../cluster/index.js';
import { evaluateInput, type Decision, type EngineOptions } from '../hpa/index.js';
import type { Clock, Logger, SelfMetrics, Sleep } from '../observability/index.js';
import type {
  CustomMetricsReader,
  ExternalMetricsReader,
  ResourceMetricsReader,
} from '../store/index.js';
import {
  actAsController,
  afterFailedGetScale,
  type ControllerMemory,
} from './act-as-controller.js';
import { failedGetScaleDecision } from './conditions.js';
import { judgeAgreement, type DisagreementMemory } from './disagreement.js';
import { collectInputs } from './inputs.js';
import { rfc3339 } from './metric-values.js';
import type { MetricsClient } from './metrics-client.js';
import { historyFromObservation } from './observed-scale-events.js';
import type { ObjectResourceResolver } from './object-resource.js';
import { forEachBounded, runEvery } from './periodic.js';
import { StoreMetricsClient } from './store-metrics-client.js';
import type { DecisionReader, EvaluationResult, HpaDecisionRecord, ScaleWriter } from './types.js';

export interface HpaRuntimeOptions {
  hpas: HpaSource;
  cluster: ClusterView;
  resourceMetrics: ResourceMetricsReader;
  customMetrics: CustomMetricsReader;
  externalMetrics: ExternalMetricsReader;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  metrics: SelfMetrics;
  /** `--hpa-sync-period`; default 15 s (the controller's --horizontal-pod-autoscaler-sync-period). */
  syncPeriodMs?: number;
  /** The controller flags (tolerance, windows); the controller's defaults when absent. */
  engineOptions?: Partial<EngineOptions>;
  /** Where disagreement (and, with a ScaleWriter, rescale) Events go; none are written without it. */
  events?: EventRecorder;
  /** Makes the runtime the controller: it writes replicas and keeps the HPA status itself. */
  scaleWriter?: ScaleWriter;
  /** Group resource of Object metrics' described objects (discovery in serve). */
  objectResources?: ObjectResourceResolver;
  /** HPAs evaluated at once; default 5 (--concurrent-horizontal-pod-autoscaler-syncs). */
  concurrency?: number;
  /** Called after every sync with every record, e.g. for the embedded mode's line per sync. */
  onSync?: (records: readonly HpaDecisionRecord[]) => void;
}

/** What the runtime remembers of one HPA. */
interface HpaState {
  uid?: string;
  controller: ControllerMemory;
  disagreement: DisagreementMemory;
  failure?: string;
}

interface Evaluated {
  decision: Decision;
  failure?: string;
}

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

function refOf(hpa: V2HorizontalPodAutoscaler): InvolvedObject {
  const m = hpa.metadata;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    namespace: m?.namespace,
    name: m?.name ?? '',
    uid: m?.uid,
    resourceVersion: m?.resourceVersion,
  };
}

/** The engine's metrics failure, as the record names it: the ScalingActive reason and message. */
function metricsFailure(d: Decision): string | undefined {
  if (!d.metricsFailed) return undefined;
  const active = d.conditions.find((c) => c.type === 'ScalingActive');
  return `${active?.reason ?? 'FailedGetMetrics'}: ${active?.message ?? ''}`;
}

/** The recommend loop; also the DecisionReader of its latest results. */
export class HpaRuntime implements DecisionReader {
  private readonly states = new Map<string, HpaState>();
  private readonly records = new Map<string, HpaDecisionRecord>();
  private readonly log: Logger;
  private readonly metricsClient: MetricsClient;
  private stopping: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: HpaRuntimeOptions) {
    this.log = o.logger.child({ component: 'hpa-runtime' });
    this.metricsClient = new StoreMetricsClient(o);
  }

  /** Starts syncing now and every period after. */
  start(): void {
    if (this.loop !== undefined) return;
    const stopping = new AbortController();
    this.stopping = stopping;
    this.loop = runEvery(
      this.o.syncPeriodMs ?? 15_000,
      this.o.clock,
      this.o.sleep,
      stopping.signal,
      () => this.syncOnce(),
    );
  }

  /** Stops after the sync in flight. */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = undefined;
  }

  getDecision(namespace: string, name: string): HpaDecisionRecord | undefined {
    return this.records.get(key(namespace, name));
  }

  listDecisions(): HpaDecisionRecord[] {
    return [...this.records.values()].sort(
      (a, b) =>
        a.hpa.namespace.localeCompare(b.hpa.namespace) || a.hpa.name.localeCompare(b.hpa.name),
    );
  }

  /** One sync of every HPA. Never rejects. */
  async syncOnce(): Promise<void> {
    let hpas: V2HorizontalPodAutoscaler[];
    try {
      hpas = this.o.hpas.listHpas();
    } catch (err) {
      this.log.error('listing HPAs failed', { err });
      return;
    }
    const seen = new Set(
      hpas.map((h) => key(h.metadata?.namespace ?? 'default', h.metadata?.name ?? '')),
    );
    for (const k of [...this.states.keys()]) if (!seen.has(k)) this.forget(k);
    await forEachBounded(hpas, this.o.concurrency ?? 5, (hpa) => this.syncSafely(hpa));
    try {
      this.o.onSync?.(this.listDecisions());
    } catch (err) {
      this.log.error('onSync hook failed', { err });
    }
  }

  /** Events never hold up a sync, and a recorder that rejects anyway is logged, not left unhandled. */
  private emit(
    hpa: V2HorizontalPodAutoscaler,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): void {
    this.o.events
      ?.recordEvent(refOf(hpa), type, reason, message)
      .catch((err: unknown) => this.log.warn('event not recorded', { reason, err }));
  }

  private forget(k: string): void {
    const [namespace = '', name = ''] = k.split('/');
    this.states.delete(k);
    this.records.delete(k);
    this.o.metrics.hpaDesiredReplicas.remove({ namespace, name });
    this.o.metrics.hpaCurrentReplicas.remove({ namespace, name });
    this.o.metrics.hpaDisagreements.remove({ namespace, name });
  }

  private stateFor(hpa: V2HorizontalPodAutoscaler): HpaState {
    const k = key(hpa.metadata?.namespace ?? 'default', hpa.metadata?.name ?? '');
    const uid = hpa.metadata?.uid;
    let state = this.states.get(k);
    // A deleted and re-created HPA starts with no memory, as the controller's deleteHPA clears it.
    if (
      state === undefined ||
      (state.uid !== undefined && uid !== undefined && state.uid !== uid)
    ) {
      state = { uid, controller: {}, disagreement: {} };
      this.states.set(k, state);
    }
    return state;
  }

  private async syncSafely(hpa: V2HorizontalPodAutoscaler): Promise<void> {
    try {
      await this.sync(hpa);
    } catch (err) {
      this.o.metrics.hpaEvaluations.inc({ result: 'failed' });
      this.log.error('hpa evaluation crashed', {
        hpa: key(hpa.metadata?.namespace ?? '', hpa.metadata?.name ?? ''),
        err,
      });
    }
  }

  private async sync(hpa: V2HorizontalPodAutoscaler): Promise<void> {
    const state = this.stateFor(hpa);
    const nowMs = this.o.clock.now();
    const nowIso = rfc3339(nowMs);
    const { decision, failure } = await this.evaluate(hpa, state, nowMs, nowIso);
    this.publish(hpa, state, decision, failure, nowIso);
  }

  private async evaluate(
    hpa: V2HorizontalPodAutoscaler,
    state: HpaState,
    nowMs: number,
    nowIso: string,
  ): Promise<Evaluated> {
    const namespace = hpa.metadata?.namespace ?? 'default';
    const ref: ScaleTargetRef = hpa.spec?.scaleTargetRef ?? { kind: '', name: '' };
    const writer = this.o.scaleWriter;
    // Acting as the controller, the status it wrote last is what its next sync reads.
    const input =
      writer && state.controller.status ? { ...hpa, status: state.controller.status } : hpa;
    let scale;
    try {
      scale = await this.o.hpas.getScale(namespace, ref);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const decision = failedGetScaleDecision(input, error, nowIso, state.controller.history);
      if (writer)
        state.controller = afterFailedGetScale(state.controller, input.status, decision.conditions);
      return { decision, failure: `FailedGetScale: ${error}` };
    }
    const inputs = await collectInputs(this.o.cluster, this.metricsClient, input, scale);
    const evaluation = evaluateInput({
      nowMs,
      hpa: input,
      scale,
      pods: inputs.pods,
      metrics: inputs.metrics,
      ...(state.controller.history === undefined ? {} : { history: state.controller.history }),
      ...(this.o.engineOptions === undefined ? {} : { options: this.o.engineOptions }),
    });
    const { decision } = evaluation;
    const failure = metricsFailure(decision);
    if (!writer) {
      const observed = {
        specReplicas: scale.specReplicas,
        lastScaleTimeMs: lastScaleTimeMs(hpa),
      };
      const history = historyFromObservation(
        evaluation.history,
        state.controller.observed,
        observed,
        nowMs,
      );
      state.controller = { history, observed };
      return { decision, failure };
    }
    const acted = await actAsController(
      writer,
      { namespace, ref },
      evaluation,
      state.controller,
      nowIso,
    );
    state.controller = acted.memory;
    if (acted.event) this.emit(hpa, acted.event.type, acted.event.reason, acted.event.message);
    return {
      decision: acted.decision,
      failure: acted.failed ? `FailedUpdateScale: ${acted.failure ?? ''}` : failure,
    };
  }

  private publish(
    hpa: V2HorizontalPodAutoscaler,
    state: HpaState,
    decision: Decision,
    failure: string | undefined,
    nowIso: string,
  ): void {
    const namespace = hpa.metadata?.namespace ?? 'default';
    const name = hpa.metadata?.name ?? '';
    const result: EvaluationResult =
      failure !== undefined ? 'failed' : decision.rescale ? 'scaled' : 'unchanged';
    const actingAsController = this.o.scaleWriter !== undefined;
    const theirs = actingAsController
      ? state.controller.status?.desiredReplicas
      : hpa.status?.desiredReplicas;
    const verdict = actingAsController
      ? { memory: {}, agrees: true, report: false, difference: undefined }
      : judgeAgreement(state.disagreement, decision, theirs, failure === undefined);
    state.disagreement = verdict.memory;
    const record: HpaDecisionRecord = {
      hpa: { namespace, name, ...(hpa.metadata?.uid ? { uid: hpa.metadata.uid } : {}) },
      scaleTargetRef: hpa.spec?.scaleTargetRef ?? { kind: '', name: '' },
      evaluatedAt: nowIso,
      result,
      decision,
      ...(theirs === undefined ? {} : { controllerDesiredReplicas: theirs }),
      agrees: verdict.agrees,
      ...(verdict.difference === undefined ? {} : { difference: verdict.difference }),
    };
    this.records.set(key(namespace, name), record);
    this.o.metrics.hpaDesiredReplicas.set({ namespace, name }, decision.desiredReplicas);
    this.o.metrics.hpaCurrentReplicas.set({ namespace, name }, decision.currentReplicas);
    this.o.metrics.hpaEvaluations.inc({ result });
    if (!verdict.agrees) this.o.metrics.hpaDisagreements.inc({ namespace, name });
    if (verdict.report && verdict.difference !== undefined) {
      this.emit(hpa, 'Warning', 'RecommendationDiffers', verdict.difference);
      this.log.info('recommendation differs from the controller', {
        hpa: key(namespace, name),
        difference: verdict.difference,
      });
    }
    this.logFailureChange(state, key(namespace, name), failure);
  }

  /** A failure is logged when it starts or changes, and its end once. */
  private logFailureChange(state: HpaState, hpa: string, failure: string | undefined): void {
    if (failure !== undefined && failure !== state.failure)
      this.log.warn('hpa evaluation failed', { hpa, reason: failure });
    if (failure === undefined && state.failure !== undefined)
      this.log.info('hpa evaluation recovered', { hpa });
    state.failure = failure;
  }
}

/** status.lastScaleTime in ms, whether the object came as API JSON (a string) or typed (a Date). */
function lastScaleTimeMs(hpa: V2HorizontalPodAutoscaler): number | undefined {
  const t = hpa.status?.lastScaleTime as unknown;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
