import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useState } from 'react';
import { Decision, DecisionRequest, zeroTrustApiRef } from '../../api';
import { valueText } from '../common/format';

interface Draft {
  user: string;
  roles: string;
  groups: string;
  mfa: boolean;
  deviceTrusted: boolean;
  resourceType: string;
  service: string;
  path: string;
  sensitivity: string;
  action: string;
  clientAddress: string;
  country: string;
  region: string;
}

const EMPTY: Draft = {
  user: '',
  roles: '',
  groups: '',
  mfa: false,
  deviceTrusted: false,
  resourceType: '',
  service: '',
  path: '',
  sensitivity: '',
  action: 'GET',
  clientAddress: '',
  country: '',
  region: '',
};

function list(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** The form as the engine's decision request; empty fields are left out. */
export function toRequest(draft: Draft): DecisionRequest {
  const text = (value: string) => value.trim() || undefined;
  return {
    subject: {
      user: text(draft.user),
      roles: list(draft.roles),
      groups: list(draft.groups),
      mfa: draft.mfa,
      deviceTrusted: draft.deviceTrusted,
    },
    resource: {
      type: text(draft.resourceType),
      service: text(draft.service),
      path: text(draft.path),
      sensitivity: (text(draft.sensitivity) as any) ?? undefined,
    },
    action: draft.action.trim(),
    context: {
      clientAddress: text(draft.clientAddress),
      country: text(draft.country),
      region: text(draft.region),
    },
  };
}

const DECISION_COLOURS: Record<string, string> = {
  allow: '#2e7d32',
  require_mfa: '#ed6c02',
  step_up: '#ed6c02',
  rate_limit: '#ed6c02',
  deny: '#d32f2f',
  block_ip: '#b71c1c',
};

function DecisionView(props: { decision: Decision }) {
  const { decision } = props;
  return (
    <div data-testid="decision">
      <Typography variant="h6">
        Decision:{' '}
        <Chip
          label={decision.decision}
          style={{
            backgroundColor: DECISION_COLOURS[decision.decision] ?? '#757575',
            color: '#fff',
          }}
        />{' '}
        by <b>{decision.policyId}</b> (policy version {decision.policyVersion})
      </Typography>
      {decision.reason && (
        <Typography variant="body2">{decision.reason}</Typography>
      )}
      <Typography variant="body2">
        Risk score {decision.riskScore}
        {decision.riskFactors.length > 0 &&
          `: ${decision.riskFactors
            .map(
              f =>
                `${f.factor} +${f.points}${f.detail ? ` (${f.detail})` : ''}`,
            )
            .join(', ')}`}
      </Typography>
      <Typography variant="body2">
        Matched policies: {decision.matchedPolicies.join(', ') || 'none'}.
        Obligations: {decision.obligations.join(', ') || 'none'}
        {decision.rateLimitPerMinute
          ? `, ${decision.rateLimitPerMinute} requests per minute`
          : ''}
        .
      </Typography>
      <Typography variant="subtitle2" style={{ marginTop: 12 }}>
        Explanation
      </Typography>
      {(decision.explanation ?? []).length === 0 ? (
        <Typography variant="body2">
          No policy was consulted: the engine decided before the policies.
        </Typography>
      ) : (
        <ol aria-label="Explanation">
          {decision.explanation!.map(policy => (
            <li key={policy.policyId} data-testid="explained-policy">
              <Typography variant="body2">
                <b>{policy.policyId}</b> (priority {policy.priority},{' '}
                {policy.actions.join(', ')}):{' '}
                {policy.matched ? 'matched' : 'did not match'}
              </Typography>
              <ul>
                {policy.conditions.map(condition => (
                  <li
                    key={condition.path}
                    data-testid="explained-condition"
                    style={{ color: condition.result ? '#2e7d32' : '#d32f2f' }}
                  >
                    {condition.result ? '✓' : '✗'} {condition.field}{' '}
                    {condition.operator} {valueText(condition.expected)} — the
                    request has {valueText(condition.actual)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/**
 * Fill a request, ask the engine, and see the decision with the result of
 * every condition of every policy it tried.
 */
export function DecisionTester() {
  const api = useApi(zeroTrustApiRef);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [answer, setAnswer] = useState<
    { decision: Decision } | { error: Error } | undefined
  >();
  const [busy, setBusy] = useState(false);

  const field = (name: keyof Draft, label: string, helper?: string) => (
    <Grid item xs={12} sm={6} md={3}>
      <TextField
        id={`tester-${name}`}
        label={label}
        helperText={helper}
        fullWidth
        size="small"
        variant="outlined"
        value={draft[name] as string}
        onChange={event => setDraft({ ...draft, [name]: event.target.value })}
      />
    </Grid>
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      setAnswer({ decision: await api.decide(toRequest(draft)) });
    } catch (error) {
      setAnswer({ error: error as Error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form onSubmit={submit} aria-label="Decision request">
        <Grid container spacing={2}>
          {field('user', 'User')}
          {field('roles', 'Roles', 'comma-separated')}
          {field('groups', 'Groups', 'comma-separated')}
          {field('action', 'Action')}
          {field('resourceType', 'Resource type')}
          {field('service', 'Service')}
          {field('path', 'Path')}
          <Grid item xs={12} sm={6} md={3}>
            <TextField
              id="tester-sensitivity"
              select
              label="Sensitivity"
              fullWidth
              size="small"
              variant="outlined"
              value={draft.sensitivity}
              onChange={event =>
                setDraft({ ...draft, sensitivity: event.target.value })
              }
            >
              <MenuItem value="">(none)</MenuItem>
              {['low', 'medium', 'high', 'critical'].map(level => (
                <MenuItem key={level} value={level}>
                  {level}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          {field('clientAddress', 'Client address')}
          {field('country', 'Country')}
          {field('region', 'Region')}
          <Grid item xs={12} sm={6} md={3}>
            <FormControlLabel
              label="MFA passed"
              control={
                <Checkbox
                  checked={draft.mfa}
                  onChange={event =>
                    setDraft({ ...draft, mfa: event.target.checked })
                  }
                />
              }
            />
            <FormControlLabel
              label="Trusted device"
              control={
                <Checkbox
                  checked={draft.deviceTrusted}
                  onChange={event =>
                    setDraft({ ...draft, deviceTrusted: event.target.checked })
                  }
                />
              }
            />
          </Grid>
        </Grid>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy || !draft.action.trim()}
          style={{ marginTop: 8 }}
        >
          Test decision
        </Button>
      </form>
      <div style={{ marginTop: 16 }}>
        {answer === undefined && (
          <Typography variant="body2" color="textSecondary">
            Fill in the request as the gateway would send it and press Test
            decision. The engine decides as it would for the gateway, on its
            current blocks and risk facts, but changes nothing: no address is
            blocked and the test is neither stored nor audited.
          </Typography>
        )}
        {answer && 'error' in answer && (
          <ResponseErrorPanel error={answer.error} />
        )}
        {answer && 'decision' in answer && (
          <DecisionView decision={answer.decision} />
        )}
      </div>
    </>
  );
}
