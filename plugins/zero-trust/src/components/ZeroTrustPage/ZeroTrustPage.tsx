import { useUrlState } from '@internal/portal-react';
import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { AuditLog } from './AuditLog';
import { BlockedAddresses } from './BlockedAddresses';
import { DecisionTester } from './DecisionTester';
import { PolicyList } from './PolicyList';
import { DEFAULT_WINDOW, SecurityOverview, WINDOWS } from './SecurityOverview';

/**
 * The Zero trust page: policies, the decision tester, risk and threats,
 * blocked addresses and the audit log. The security window (`window`) is
 * in the URL.
 */
export function ZeroTrustPage() {
  const { get, set } = useUrlState();
  const requested = get('window');
  const window = requested && requested in WINDOWS ? requested : DEFAULT_WINDOW;

  return (
    <Page themeId="tool">
      <Header
        title="Zero trust"
        subtitle="Policies, decisions, threats and blocks of the zero-trust engine"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <InfoCard title="Policies">
              <PolicyList />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Decision tester">
              <DecisionTester />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard
              title="Risk and threats"
              action={
                <TextField
                  id="security-window"
                  select
                  label="Time range"
                  size="small"
                  variant="outlined"
                  value={window}
                  style={{ width: 180, marginTop: 8 }}
                  onChange={event =>
                    set({
                      window:
                        event.target.value === DEFAULT_WINDOW
                          ? undefined
                          : event.target.value,
                    })
                  }
                >
                  {Object.entries(WINDOWS).map(([value, { label }]) => (
                    <MenuItem key={value} value={value}>
                      {label}
                    </MenuItem>
                  ))}
                </TextField>
              }
            >
              <SecurityOverview window={window} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Blocked addresses">
              <BlockedAddresses />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Audit log">
              <AuditLog />
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
