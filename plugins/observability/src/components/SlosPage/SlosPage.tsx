import { Content, Header, Page } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { TextFilter, useUrlFilters } from '../common/Filters';
import { KpiTable, KpiTrend } from './KpiSection';
import { SloSection } from './SloSection';

/**
 * SLOs and KPIs: every service's objectives per region with the error
 * budget left and its burn rates, and the business KPIs per region.
 */
export function SlosPage() {
  const filters = useUrlFilters();
  const service = filters.get('service');
  const region = filters.get('region');

  return (
    <Page themeId="tool">
      <Header
        title="SLOs & KPIs"
        subtitle="Error budgets, burn rates and business KPIs per region"
      />
      <Content>
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
          <TextFilter
            label="Service"
            value={service}
            onChange={value => filters.update({ service: value })}
          />
          <TextFilter
            label="Region"
            value={region}
            onChange={value => filters.update({ region: value })}
          />
        </Box>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <KpiTable
              region={region}
              window={filters.get('window')}
              onWindow={value => filters.update({ window: value })}
            />
          </Grid>
          <Grid item xs={12}>
            <KpiTrend region={region} />
          </Grid>
          <Grid item xs={12}>
            <Typography variant="h4" component="h2" gutterBottom>
              Service level objectives
            </Typography>
            <SloSection service={service} region={region} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
