import { PolledContent, usePolling } from '@internal/portal-react';
import { useApi } from '@backstage/frontend-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { zeroTrustApiRef } from '../../api';
import { formatTimeMs } from '../common/format';

const ENTRIES_SHOWN = 50;

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/**
 * The newest audit entries and whether the hash chain verifies. The
 * verification walks the whole chain and gives its head, from which the
 * newest page is read.
 */
export function AuditLog() {
  const api = useApi(zeroTrustApiRef);
  const state = usePolling(async () => {
    const verification = await api.verifyAudit();
    const headSeq = verification.head?.seq ?? 0;
    const entries =
      headSeq === 0
        ? []
        : await api.listAudit({
            afterSeq: Math.max(0, headSeq - ENTRIES_SHOWN),
            limit: ENTRIES_SHOWN,
          });
    return { verification, entries: [...entries].reverse() };
  }, 'audit');

  return (
    <PolledContent
      state={state}
      isEmpty={value => value.verification.entries === 0}
      emptyTitle="The audit log is empty"
      emptyHint="Denials, MFA demands, threats, blocks, unblocks and policy changes are audited; none has happened yet. Try a request in the tester that is denied."
    >
      {({ verification, entries }) => (
        <>
          <Typography
            variant="body2"
            paragraph
            data-testid="audit-verification"
            style={{ color: verification.valid ? '#2e7d32' : '#d32f2f' }}
          >
            {verification.valid
              ? `✓ Chain verified: ${verification.entries} entries, head #${
                  verification.head?.seq
                } ${verification.head?.hash.slice(0, 16)}…`
              : `✗ Chain broken at entry #${verification.problem?.seq}: ${verification.problem?.reason}`}
          </Typography>
          <Table size="small" aria-label="Audit entries">
            <TableHead>
              <TableRow>
                <TableCell>#</TableCell>
                <TableCell>Time</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>Details</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {entries.map(entry => (
                <TableRow key={entry.seq} data-testid="audit-entry">
                  <TableCell>{entry.seq}</TableCell>
                  <TableCell style={NO_WRAP}>
                    {formatTimeMs(entry.atMs)}
                  </TableCell>
                  <TableCell style={NO_WRAP}>{entry.kind}</TableCell>
                  <TableCell>
                    <code>{JSON.stringify(entry.payload)}</code>
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
