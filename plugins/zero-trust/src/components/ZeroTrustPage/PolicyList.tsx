import { PolledContent, usePolling } from '@internal/portal-react';
import { useApi } from '@backstage/frontend-plugin-api';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { zeroTrustApiRef } from '../../api';
import { conditionText, formatTimeMs } from '../common/format';

/** The policy set in force, highest priority first. */
export function PolicyList() {
  const api = useApi(zeroTrustApiRef);
  const state = usePolling(() => api.getPolicies(), 'policies');

  return (
    <PolledContent
      state={state}
      isEmpty={set => set.document.policies.length === 0}
      emptyTitle="No policies in force"
      emptyHint="Every request is denied by default. Put policies in the file zeroTrust.policiesFile names (deploy/platform/zero-trust/zero-trust-policies.yaml) or PUT them to /api/zero-trust/policies."
    >
      {set => (
        <>
          <Typography variant="body2" paragraph>
            Version {set.version}
            {set.source ? ` from ${set.source}` : ''}
            {set.author ? ` by ${set.author}` : ''}
            {set.createdAtMs ? `, ${formatTimeMs(set.createdAtMs)}` : ''}
            {set.comment ? `: ${set.comment}` : ''}
          </Typography>
          <Table size="small" aria-label="Policies">
            <TableHead>
              <TableRow>
                <TableCell>Policy</TableCell>
                <TableCell>Priority</TableCell>
                <TableCell>Conditions</TableCell>
                <TableCell>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {[...set.document.policies]
                .sort((a, b) => b.priority - a.priority)
                .map(policy => (
                  <TableRow key={policy.id} data-testid={`policy-${policy.id}`}>
                    <TableCell>
                      <Typography variant="body2">
                        <b>{policy.id}</b>
                        {policy.enabled ? '' : ' (disabled)'}
                      </Typography>
                      <Typography variant="caption">
                        {policy.description}
                      </Typography>
                    </TableCell>
                    <TableCell style={{ whiteSpace: 'nowrap' }}>
                      {policy.priority}
                    </TableCell>
                    <TableCell>
                      <code>{conditionText(policy.conditions)}</code>
                    </TableCell>
                    <TableCell>
                      {policy.actions.map(action => (
                        <Chip
                          key={action}
                          size="small"
                          label={
                            action === 'rate_limit' && policy.rateLimitPerMinute
                              ? `rate_limit ${policy.rateLimitPerMinute}/min`
                              : action
                          }
                          style={{ marginRight: 4 }}
                        />
                      ))}
                    </TableCell>
                  </TableRow>
                ))}
            </TableBody>
          </Table>
        </>
      )}
    </PolledContent>
  );
}
