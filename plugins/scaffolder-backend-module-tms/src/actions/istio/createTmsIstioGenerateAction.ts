import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  buildIstioConfig,
  ISTIO_TRAFFIC_DEFAULTS,
} from '../../lib/istio/buildIstioConfig';
import {
  DNS_LABEL,
  SERVICE_ACCOUNT_REF,
  GATEWAY_HOSTS,
  SHARED_GATEWAY,
} from '../../lib/tmsPlatform';
import { writeManifests } from '../writeManifests';
import { examples } from './createTmsIstioGenerateAction.examples';
import { InputFields, parseInput, workspaceFilesField } from '../parseInput';

const DURATION = /^\d+(\.\d+)?(ms|s|m|h)$/;

const inputFields = {
  service: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .max(63)
      .describe('Service name, also its Kubernetes app label'),
  namespace: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .default('tms')
      .describe('Kubernetes namespace the service runs in'),
  port: z =>
    z
      .number()
      .int()
      .min(1)
      .max(65535)
      .describe('Container port the service listens on'),
  hosts: z =>
    z
      .array(z.enum(GATEWAY_HOSTS))
      .default([])
      .describe(
        'Public hosts of the shared gateway to route; empty keeps the service inside the mesh',
      ),
  gateway: z =>
    z
      .string()
      .default(SHARED_GATEWAY)
      .describe('The shared ingress gateway as namespace/name'),
  pathPrefix: z =>
    z
      .string()
      .startsWith('/')
      .optional()
      .describe('URI prefix routed on the public hosts; /<service> by default'),
  callers: z =>
    z
      .array(
        z
          .string()
          .regex(
            SERVICE_ACCOUNT_REF,
            'a caller is a service account as name or namespace/name, in lower-case letters, digits and dashes',
          ),
      )
      .min(1)
      .describe(
        'Service accounts allowed to call the service, as name (same namespace) or namespace/name',
      ),
  loadBalancer: z =>
    z
      .enum(['LEAST_CONN', 'ROUND_ROBIN'])
      .default(ISTIO_TRAFFIC_DEFAULTS.loadBalancer)
      .describe('Load balancing between the pods of a subset'),
  blueWeight: z =>
    z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(100)
      .describe('Percent of traffic for the blue subset; green gets the rest'),
  timeout: z =>
    z
      .string()
      .regex(DURATION)
      .default(ISTIO_TRAFFIC_DEFAULTS.timeout)
      .describe('Timeout of a request including its retries'),
  retries: z =>
    z
      .object({
        attempts: z.number().int().min(0).max(10),
        perTryTimeout: z.string().regex(DURATION),
        backoff: z.string().regex(DURATION),
      })
      .default(ISTIO_TRAFFIC_DEFAULTS.retries)
      .describe(
        'Retry attempts, the timeout of each try and the base backoff between tries',
      ),
  connectionPool: z =>
    z
      .object({
        maxConnections: z.number().int().min(1),
        http1MaxPendingRequests: z.number().int().min(1),
        http2MaxRequests: z.number().int().min(1),
        maxRequestsPerConnection: z.number().int().min(0),
      })
      .default(ISTIO_TRAFFIC_DEFAULTS.connectionPool)
      .describe('Connection pool limits per pod of the calling side'),
  outlierDetection: z =>
    z
      .object({
        consecutive5xxErrors: z.number().int().min(0),
        interval: z.string().regex(DURATION),
        baseEjectionTime: z.string().regex(DURATION),
        maxEjectionPercent: z.number().int().min(0).max(100),
      })
      .default(ISTIO_TRAFFIC_DEFAULTS.outlierDetection)
      .describe('Circuit breaking: when a pod is ejected and for how long'),
  targetPath: z =>
    z
      .string()
      .default('istio')
      .describe('Workspace folder the YAML files are written to'),
} satisfies InputFields;

/**
 * Creates the `tms:istio:generate` action: the VirtualService,
 * DestinationRule, PeerAuthentication and AuthorizationPolicy of a TMS
 * service, written as YAML into the workspace.
 *
 * @public
 */
export function createTmsIstioGenerateAction() {
  return createTemplateAction({
    id: 'tms:istio:generate',
    description:
      'Generates the Istio routing, circuit breaking, mTLS and authorization config of a TMS service',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputFields,
      output: {
        files: workspaceFilesField('Written files'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputFields, ctx.input);
      const config = buildIstioConfig({
        ...input,
        pathPrefix: input.pathPrefix ?? `/${input.service}`,
        weights: { blue: input.blueWeight, green: 100 - input.blueWeight },
      });

      const files = await writeManifests(ctx.workspacePath, input.targetPath, {
        'virtual-service.yaml': [config.virtualService],
        'destination-rule.yaml': [config.destinationRule],
        'peer-authentication.yaml': [config.peerAuthentication],
        'authorization-policy.yaml': [config.authorizationPolicy],
      });

      ctx.logger.info('Generated Istio config', {
        service: input.service,
        files: files.length,
        dryRun: Boolean(ctx.isDryRun),
      });
      ctx.output('files', files);
    },
  });
}
