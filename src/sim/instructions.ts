/**
 * What `npm start` prints for a person: where the embedded API listens and ready-to-paste curl
 * commands (CA file and token included) for each API the embedded cluster serves.
 * @module
 */
import { externalMetricName, externalQueue, podsMetricName } from './metrics-source.js';
import { walkthroughName, walkthroughNamespace } from './php-apache.js';

export interface InstructionsInput {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  caFile: string;
  token: string;
  speed: number;
  /** The simulated cluster's kubeconfig (removed on exit). */
  kubeconfigFile: string;
}

/** The paths the printed commands fetch, in print order. */
export function embeddedPaths(): { title: string; path: string }[] {
  const ns = walkthroughNamespace;
  return [
    { title: 'node metrics (metrics.k8s.io)', path: '/apis/metrics.k8s.io/v1beta1/nodes' },
    {
      title: 'pod metrics (metrics.k8s.io)',
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`,
    },
    {
      title: `Pods custom metric ${podsMetricName}`,
      path: `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${ns}/pods/*/${podsMetricName}`,
    },
    {
      title: `External metric ${externalMetricName}`,
      path: `/apis/external.metrics.k8s.io/v1beta1/namespaces/${ns}/${externalMetricName}?labelSelector=queue%3D${externalQueue}`,
    },
    {
      title: `why ${walkthroughName} has its size`,
      path: `/hpa/${ns}/${walkthroughName}?format=text`,
    },
  ];
}

/** One curl command; single quotes keep `*`, `?` and `&` away from the shell. */
export function curlCommand(
  i: Pick<InstructionsInput, 'url' | 'caFile' | 'token'>,
  path: string,
): string {
  return `curl --cacert '${i.caFile}' -H 'Authorization: Bearer ${i.token}' '${i.url}${path}'`;
}

/** The banner printed once the embedded cluster serves. */
export function instructions(i: InstructionsInput): string {
  const lines = [
    `scaleplane: embedded simulated cluster serving at ${i.url} (127.0.0.1 only; --sim-speed ${i.speed})`,
    `  the php-apache walkthrough: Deployment ${walkthroughNamespace}/${walkthroughName} (cpu request 200m), HPA cpu 50%, 1-10 replicas;`,
    '  load starts 30 s (simulated) after start and stops 5 minutes later. Try:',
    '',
  ];
  for (const p of embeddedPaths()) lines.push(`# ${p.title}`, curlCommand(i, p.path), '');
  const kc = `--kubeconfig '${i.kubeconfigFile}'`;
  lines.push(
    '# the simulated cluster for kubectl and scaleplane (this kubeconfig is removed on exit)',
    `kubectl ${kc} top nodes`,
    `kubectl ${kc} top pods`,
    `node dist/src/main.js hpa explain ${kc} ${walkthroughNamespace}/${walkthroughName}`,
    '',
  );
  lines.push('One line per HPA sync follows (logs are JSON on stderr):');
  return `${lines.join('\n')}\n`;
}
