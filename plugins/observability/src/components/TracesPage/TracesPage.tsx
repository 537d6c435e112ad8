import { Content, Header, Page } from '@backstage/core-components';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useUrlFilters } from '../common/Filters';
import { LogSearch } from './LogSearch';
import { TraceSearch } from './TraceSearch';
import { TraceView } from './TraceView';

/**
 * Traces and logs. Everything the page shows is named by its URL:
 * `tab` (traces or logs), the filters of each tab, and `trace`, the trace
 * whose waterfall is open.
 */
export function TracesPage() {
  const { get, update } = useUrlFilters();
  const tab = get('tab') === 'logs' ? 'logs' : 'traces';
  const trace = get('trace');

  return (
    <Page themeId="tool">
      <Header
        title="Traces & logs"
        subtitle="Spans and log records the observability engine received"
      />
      <Content>
        <Tabs
          value={tab}
          indicatorColor="primary"
          onChange={(_event, value) => update({ tab: value })}
          style={{ marginBottom: 16 }}
        >
          <Tab value="traces" label="Traces" />
          <Tab value="logs" label="Logs" />
        </Tabs>
        {tab === 'traces' && trace && (
          <TraceView
            traceId={trace}
            onClose={() => update({ trace: undefined })}
          />
        )}
        {tab === 'traces' ? <TraceSearch /> : <LogSearch />}
      </Content>
    </Page>
  );
}
