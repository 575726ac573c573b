/**
 * The differences from the peers that the parity tests assert as intended, each in the wording
 * of the README's "Intended differences" list (the tests check both sides of each).
 * @module
 */
export const INTENDED = {
  counterDown:
    'A container whose CPU counter goes down without a restart drops its pod for that scrape (counted as `counter_reset`), as a restart does; metrics-server serves the pod without that container, or with no containers and a null timestamp when it has only one.',
  nan: 'NaN and ±Inf samples from Prometheus are dropped and counted (`scaleplane_dropped_points_total{reason="non_finite_value"}`), never served as 0.',
  timestamps:
    "Custom and external values carry their sample's own timestamp, not the request time, and come from the last collection (at most one `--metric-resolution` old, plus the time a collection takes) instead of a query per request.",
  coreApiVersion:
    "A custom metric's `describedObject.apiVersion` is `v1` for core objects; prometheus-adapter writes `/v1`.",
  notEquals:
    'A `metricLabelSelector` with `!=` is answered (its selector written back as `NotIn`); prometheus-adapter fails such a request with 500 ("\\"!=\\" is not a valid label selector operator") whenever there are values to describe.',
  unknownResource:
    'A custom-metrics request for a resource the cluster does not serve is a 404 (metric not found); prometheus-adapter answers 500 "unable to list matching resources".',
  externalNotFound:
    'An unknown external metric\'s 404 names `namespaces` in every namespace; prometheus-adapter names it only in `default` and leaves the resource empty elsewhere ("... for ").',
  placeholder:
    'An API group with no metrics yet lists one get-only placeholder resource instead of an empty `APIResourceList`.',
  healthProbes:
    'Health probes (`/healthz`, `/livez`, `/readyz`) are answered without credentials even with `--anonymous-auth=false`; every other path needs them.',
  strictConfig:
    'Config validation is stricter: a template field that cannot resolve is a start-up error with its path, where prometheus-adapter starts and fails the requests; an unknown key is refused by both, with its path by scaleplane.',
} as const;
