import { InputError } from '@backstage/errors';
import {
  BUSINESS_KPIS,
  BusinessKpi,
  BusinessMetricsService,
} from '../services/BusinessMetricsService';
import { RuleDefinition } from './rules';
import { SeriesQuery, SeriesSample, SeriesSource } from './series';

function isKpi(name: string | undefined): name is BusinessKpi {
  return (BUSINESS_KPIS as readonly string[]).includes(name ?? '');
}

/**
 * Business KPIs per service and region, from the metrics store: counts
 * over the rule's window (quizzes started, safety checks, ...), ratios of
 * those counts (safety-check compliance, quiz completion) and the last
 * value of gauges (active users). A group without the KPI yields no
 * sample.
 */
export class BusinessKpiSeriesSource implements SeriesSource {
  readonly kinds = ['business_kpi'] as const;

  constructor(
    private readonly business: Pick<BusinessMetricsService, 'kpiGroups'>,
  ) {}

  check(definition: RuleDefinition) {
    if (!isKpi(definition.kpi)) {
      throw new InputError(
        `Invalid rule field 'kpi': '${
          definition.kpi
        }' is not a business KPI; the KPIs are ${BUSINESS_KPIS.join(', ')}`,
      );
    }
  }

  async read(query: SeriesQuery): Promise<SeriesSample[]> {
    const kpi = query.kpi;
    if (!isKpi(kpi)) {
      return [];
    }
    const groups = await this.business.kpiGroups(query.window, {
      service: query.scope.service,
      region: query.scope.region,
    });
    return groups
      .filter(group => group.values[kpi] !== undefined)
      .map(group => ({
        labels: { service: group.service, region: group.region, kpi },
        value: group.values[kpi]!,
      }));
  }
}
