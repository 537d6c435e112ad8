import { apiGroup, locate, ManifestFinding, ManifestResource } from './types';

/*
 * The rules Istio's CRDs carry as CEL (`x-kubernetes-validations`) and as
 * list-map keys, which the API server evaluates and the npm schema packages
 * leave out, and the one field (jwtRules presence) newer than those
 * packages. Each check below mirrors one rule of crd-all.gen.yaml and
 * reports the rule's own message, so that a finding reads like the API
 * server's rejection.
 */

type Problem = { field: string; message: string };
type Spec = Record<string, any>;

const JWT_PRESENCE = ['OPTIONAL', 'REQUIRED'];

const DURATION_MESSAGE = 'must be a valid duration greater than 1ms';

const UNIT_NANOSECONDS: Record<string, number> = {
  h: 3_600e9,
  m: 60e9,
  s: 1e9,
  ms: 1e6,
  us: 1e3,
  µs: 1e3,
  ns: 1,
};

/**
 * A duration as CEL's `duration()` reads it (Go's time.ParseDuration
 * syntax: `1h30m`, `2.5s`, `250ms`), in nanoseconds; undefined if it is
 * not one.
 */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:h|ms|m|s|us|µs|ns))+$/.exec(
    text,
  );
  if (!match) {
    return text === '0' ? 0 : undefined;
  }

  let total = 0;
  for (const [, amount, unit] of text.matchAll(
    /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/g,
  )) {
    total += Number(amount) * UNIT_NANOSECONDS[unit];
  }
  return match[1] === '-' ? -total : total;
}

function checkDuration(value: unknown, field: string): Problem[] {
  if (value === undefined) {
    return [];
  }
  const nanoseconds = parseDuration(value);
  return nanoseconds === undefined || nanoseconds < 1e6
    ? [{ field, message: DURATION_MESSAGE }]
    : [];
}

/** The duration fields of a DestinationRule traffic policy. */
function trafficPolicyDurations(policy: Spec | undefined, at: string) {
  if (!policy) {
    return [];
  }
  const levels: Array<[Spec, string]> = [
    [policy, at],
    ...(policy.portLevelSettings ?? []).map(
      (settings: Spec, i: number): [Spec, string] => [
        settings,
        `${at}.portLevelSettings[${i}]`,
      ],
    ),
  ];

  return levels.flatMap(([level, path]) => {
    const tcp = level.connectionPool?.tcp ?? {};
    const http = level.connectionPool?.http ?? {};
    const outlier = level.outlierDetection ?? {};
    const balancer = level.loadBalancer ?? {};
    const pool = `${path}.connectionPool`;
    return [
      ...checkDuration(tcp.connectTimeout, `${pool}.tcp.connectTimeout`),
      ...checkDuration(
        tcp.maxConnectionDuration,
        `${pool}.tcp.maxConnectionDuration`,
      ),
      ...checkDuration(tcp.tcpKeepalive?.time, `${pool}.tcp.tcpKeepalive.time`),
      ...checkDuration(
        tcp.tcpKeepalive?.interval,
        `${pool}.tcp.tcpKeepalive.interval`,
      ),
      ...checkDuration(http.idleTimeout, `${pool}.http.idleTimeout`),
      ...checkDuration(
        http.http2KeepAlive?.interval,
        `${pool}.http.http2KeepAlive.interval`,
      ),
      ...checkDuration(
        http.http2KeepAlive?.timeout,
        `${pool}.http.http2KeepAlive.timeout`,
      ),
      ...checkDuration(outlier.interval, `${path}.outlierDetection.interval`),
      ...checkDuration(
        outlier.baseEjectionTime,
        `${path}.outlierDetection.baseEjectionTime`,
      ),
      ...checkDuration(
        balancer.warmup?.duration,
        `${path}.loadBalancer.warmup.duration`,
      ),
      ...checkDuration(
        balancer.warmupDurationSecs,
        `${path}.loadBalancer.warmupDurationSecs`,
      ),
    ];
  });
}

/** matchLabels keys must be non-empty and neither keys nor values wild. */
function checkMatchLabels(labels: unknown, field: string): Problem[] {
  if (!labels || typeof labels !== 'object') {
    return [];
  }
  const problems: Problem[] = [];
  const entries = Object.entries(labels as Record<string, unknown>);

  if (entries.some(([key]) => key.length === 0)) {
    problems.push({ field, message: 'key must not be empty' });
  }
  if (entries.some(([key]) => key.includes('*'))) {
    problems.push({
      field,
      message: 'wildcard not allowed in label key match',
    });
  }
  for (const [key, value] of entries) {
    if (String(value).includes('*')) {
      problems.push({
        field: `${field}.${key}`,
        message: 'wildcard not allowed in label value match',
      });
    }
  }
  return problems;
}

/** The policy kinds' choice of selector or target references. */
function checkTargeting(spec: Spec): Problem[] {
  const problems: Problem[] = [];
  const chosen = ['selector', 'targetRef', 'targetRefs'].filter(
    key => spec[key] !== undefined,
  );

  if (chosen.length > 1) {
    problems.push({
      field: 'spec',
      message: 'only one of targetRefs or selector can be set',
    });
  }
  const refs: Array<[Spec, string]> = [
    ...(spec.targetRef
      ? [[spec.targetRef, 'spec.targetRef'] as [Spec, string]]
      : []),
    ...(spec.targetRefs ?? []).map((ref: Spec, i: number): [Spec, string] => [
      ref,
      `spec.targetRefs[${i}]`,
    ]),
  ];
  for (const [ref, field] of refs) {
    if (typeof ref?.namespace === 'string' && ref.namespace.length > 0) {
      problems.push({
        field: `${field}.namespace`,
        message: 'cross namespace referencing is not currently supported',
      });
    }
  }
  return [
    ...problems,
    ...checkMatchLabels(
      spec.selector?.matchLabels,
      'spec.selector.matchLabels',
    ),
  ];
}

function isPort(value: unknown): boolean {
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port <= 65535;
}

function virtualServiceRules(spec: Spec): Problem[] {
  return (spec.http ?? []).flatMap((route: Spec, i: number) => {
    const at = `spec.http[${i}]`;
    return [
      ...checkDuration(route?.timeout, `${at}.timeout`),
      ...checkDuration(
        route?.retries?.perTryTimeout,
        `${at}.retries.perTryTimeout`,
      ),
      ...checkDuration(route?.retries?.backoff, `${at}.retries.backoff`),
      ...checkDuration(
        route?.fault?.delay?.fixedDelay,
        `${at}.fault.delay.fixedDelay`,
      ),
      ...checkDuration(
        route?.fault?.delay?.exponentialDelay,
        `${at}.fault.delay.exponentialDelay`,
      ),
      ...checkDuration(route?.corsPolicy?.maxAge, `${at}.corsPolicy.maxAge`),
    ];
  });
}

function destinationRuleRules(spec: Spec): Problem[] {
  return [
    ...trafficPolicyDurations(spec.trafficPolicy, 'spec.trafficPolicy'),
    ...(spec.subsets ?? []).flatMap((subset: Spec, i: number) =>
      trafficPolicyDurations(
        subset?.trafficPolicy,
        `spec.subsets[${i}].trafficPolicy`,
      ),
    ),
    ...checkMatchLabels(
      spec.workloadSelector?.matchLabels,
      'spec.workloadSelector.matchLabels',
    ),
  ];
}

function gatewayRules(spec: Spec): Problem[] {
  return (spec.servers ?? []).flatMap((server: Spec, i: number) => {
    const tls = server?.tls ?? {};
    const set = (key: string) => tls[key] !== undefined;
    const field = `spec.servers[${i}].tls`;
    const problems: Problem[] = [];

    if (set('tlsCertificates') && set('credentialNames')) {
      problems.push({
        field,
        message: 'only one of credentialNames or tlsCertificates can be set',
      });
    }
    if (set('credentialName') && set('credentialNames')) {
      problems.push({
        field,
        message: 'only one of credentialName or credentialNames can be set',
      });
    }
    return problems;
  });
}

function peerAuthenticationRules(spec: Spec): Problem[] {
  const problems = checkMatchLabels(
    spec.selector?.matchLabels,
    'spec.selector.matchLabels',
  );
  if (spec.portLevelMtls === undefined) {
    return problems;
  }

  if (Object.keys(spec.portLevelMtls).some(key => !isPort(key))) {
    problems.push({
      field: 'spec.portLevelMtls',
      message: 'port must be between 1-65535',
    });
  }
  if (Object.keys(spec.selector?.matchLabels ?? {}).length === 0) {
    problems.push({
      field: 'spec',
      message: 'portLevelMtls requires selector',
    });
  }
  return problems;
}

function authorizationPolicyRules(spec: Spec): Problem[] {
  const problems = checkTargeting(spec);

  (spec.rules ?? []).forEach((rule: Spec, i: number) => {
    (rule?.from ?? []).forEach((from: Spec, j: number) => {
      const source = from?.source ?? {};
      const has = (key: string) => source[key] !== undefined;
      if (
        (has('serviceAccounts') || has('notServiceAccounts')) &&
        ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].some(has)
      ) {
        problems.push({
          field: `spec.rules[${i}].from[${j}].source`,
          message: 'Cannot set serviceAccounts with namespaces or principals',
        });
      }
    });
  });
  return problems;
}

function requestAuthenticationRules(spec: Spec): Problem[] {
  const problems = checkTargeting(spec);

  (spec.jwtRules ?? []).forEach((rule: Spec, i: number) => {
    const at = `spec.jwtRules[${i}]`;
    const keys = ['jwksUri', 'jwks_uri', 'jwks'].filter(
      key => rule?.[key] !== undefined,
    );
    if (keys.length > 1) {
      problems.push({
        field: at,
        message: 'only one of jwks or jwksUri can be set',
      });
    }
    for (const key of ['jwksUri', 'jwks_uri']) {
      if (rule?.[key] !== undefined && !hasHttpScheme(rule[key])) {
        problems.push({
          field: `${at}.${key}`,
          message: 'url must have scheme http:// or https://',
        });
      }
    }
    problems.push(...checkDuration(rule?.timeout, `${at}.timeout`));
    // Newer than the library's Istio schemas: an enum, not a CEL rule.
    if (rule?.presence !== undefined && !JWT_PRESENCE.includes(rule.presence)) {
      problems.push({
        field: `${at}.presence`,
        message: `Unsupported value: ${JSON.stringify(
          rule.presence,
        )}: supported values: ${JWT_PRESENCE.map(v => `"${v}"`).join(', ')}`,
      });
    }
  });
  return problems;
}

function hasHttpScheme(value: unknown): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(String(value)).protocol);
  } catch {
    return false;
  }
}

function serviceEntryRules(spec: Spec): Problem[] {
  const problems: Problem[] = [];
  const resolution = spec.resolution ?? 'NONE';
  const ports: Spec[] = spec.ports ?? [];

  (spec.hosts ?? []).forEach((host: unknown, i: number) => {
    if (host === '*') {
      problems.push({
        field: `spec.hosts[${i}]`,
        message: 'hostname cannot be wildcard',
      });
    }
  });
  for (const [key, value] of Object.entries(
    spec.workloadSelector?.labels ?? {},
  )) {
    if (String(value).includes('*')) {
      problems.push({
        field: `spec.workloadSelector.labels.${key}`,
        message: 'wildcard is not supported in selector',
      });
    }
  }
  if (spec.workloadSelector !== undefined && spec.endpoints !== undefined) {
    problems.push({
      field: 'spec',
      message: 'only one of WorkloadSelector or Endpoints can be set',
    });
  }
  if (
    (spec.addresses ?? []).some((a: unknown) => String(a).includes('/')) &&
    !['STATIC', 'NONE'].includes(resolution)
  ) {
    problems.push({
      field: 'spec',
      message:
        'CIDR addresses are allowed only for NONE/STATIC resolution types',
    });
  }
  if (resolution === 'NONE' && spec.endpoints !== undefined) {
    problems.push({ field: 'spec', message: 'NONE mode cannot set endpoints' });
  }
  if (resolution === 'DNS_ROUND_ROBIN' && (spec.endpoints ?? []).length > 1) {
    problems.push({
      field: 'spec',
      message: 'DNS_ROUND_ROBIN mode cannot have multiple endpoints',
    });
  }

  ports.forEach((port, i) => {
    for (const key of ['number', 'targetPort']) {
      if (port?.[key] !== undefined && !isPort(port[key])) {
        problems.push({
          field: `spec.ports[${i}].${key}`,
          message: 'port must be between 1-65535',
        });
      }
    }
  });
  const numbers = ports.map(port => port?.number);
  if (numbers.some((n, i) => numbers.indexOf(n) !== i)) {
    problems.push({
      field: 'spec.ports',
      message: 'port number cannot be duplicated',
    });
  }
  // `ports` is a list map keyed by name: the API server refuses a name
  // twice before any CEL rule runs.
  const names = ports.map(port => port?.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      problems.push({
        field: `spec.ports[${i}]`,
        message: `Duplicate value: ${JSON.stringify({ name })}`,
      });
    }
  });
  return problems;
}

function telemetryRules(spec: Spec): Problem[] {
  const problems = checkTargeting(spec);

  (spec.metrics ?? []).forEach((metric: Spec, i: number) => {
    problems.push(
      ...checkDuration(
        metric?.reportingInterval,
        `spec.metrics[${i}].reportingInterval`,
      ),
    );
    (metric?.overrides ?? []).forEach((override: Spec, j: number) => {
      for (const [tag, change] of Object.entries<Spec>(
        override?.tagOverrides ?? {},
      )) {
        const field = `spec.metrics[${i}].overrides[${j}].tagOverrides.${tag}`;
        if (change?.operation === 'UPSERT' && !change.value) {
          problems.push({
            field,
            message: 'value must be set when operation is UPSERT',
          });
        }
        if (change?.operation === 'REMOVE' && change.value !== undefined) {
          problems.push({
            field,
            message: 'value must not be set when operation is REMOVE',
          });
        }
      }
    });
  });
  return problems;
}

const RULES: Record<string, Record<string, (spec: Spec) => Problem[]>> = {
  'networking.istio.io': {
    VirtualService: virtualServiceRules,
    DestinationRule: destinationRuleRules,
    Gateway: gatewayRules,
    ServiceEntry: serviceEntryRules,
  },
  'security.istio.io': {
    PeerAuthentication: peerAuthenticationRules,
    AuthorizationPolicy: authorizationPolicyRules,
    RequestAuthentication: requestAuthenticationRules,
  },
  'telemetry.istio.io': { Telemetry: telemetryRules },
};

/**
 * Checks an Istio resource against the CEL and list-map rules of its CRD.
 * Resources of other groups, and Istio kinds without such rules, pass.
 *
 * @internal
 */
export function checkIstioCrdRules(
  resource: ManifestResource,
): ManifestFinding[] {
  const rules = RULES[apiGroup(resource.apiVersion)]?.[resource.kind];
  const spec = resource.object.spec;
  if (!rules || !spec || typeof spec !== 'object') {
    return [];
  }
  return rules(spec).map(problem => ({ ...locate(resource), ...problem }));
}
