import { PolledContent, usePolling } from '@internal/portal-react';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { zeroTrustApiRef } from '../../api';
import { formatTimeMs } from '../common/format';

function failureText(address: string, error: Error & { statusCode?: number }) {
  // A ResponseError carries the HTTP status of the engine's answer.
  if (error.statusCode === 403) {
    return `You may not unblock ${address}: the zeroTrust.block.delete permission was denied (403). ${error.message}`;
  }
  return `Unblocking ${address} failed: ${error.message}`;
}

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** The addresses blocked now, each with an Unblock button. */
export function BlockedAddresses() {
  const api = useApi(zeroTrustApiRef);
  const state = usePolling(() => api.listBlocks(), 'blocks', 5_000);
  const [message, setMessage] = useState<
    { kind: 'error' | 'done'; text: string } | undefined
  >();
  const [pending, setPending] = useState<string>();

  const unblock = async (address: string) => {
    setPending(address);
    setMessage(undefined);
    try {
      await api.unblock(address);
      setMessage({ kind: 'done', text: `Unblocked ${address}.` });
      state.refresh();
    } catch (error) {
      setMessage({ kind: 'error', text: failureText(address, error as any) });
    } finally {
      setPending(undefined);
    }
  };

  return (
    <>
      {message && (
        <Typography
          role={message.kind === 'error' ? 'alert' : 'status'}
          color={message.kind === 'error' ? 'error' : 'textPrimary'}
          variant="body2"
          paragraph
        >
          {message.text}
        </Typography>
      )}
      <PolledContent
        state={state}
        isEmpty={blocks => blocks.length === 0}
        emptyTitle="No address is blocked"
        emptyHint="Addresses are blocked when they cross a threat limit (20 failed logins in a minute by default) or by a block_ip policy; they appear here until they expire or are unblocked."
      >
        {blocks => (
          <Table size="small" aria-label="Blocked addresses">
            <TableHead>
              <TableRow>
                <TableCell>Address</TableCell>
                <TableCell>Reason</TableCell>
                <TableCell>Offences</TableCell>
                <TableCell>Blocked</TableCell>
                <TableCell>Expires</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {blocks.map(block => (
                <TableRow
                  key={block.clientAddress}
                  data-testid="blocked-address"
                >
                  <TableCell style={NO_WRAP}>{block.clientAddress}</TableCell>
                  <TableCell>{block.reason}</TableCell>
                  <TableCell>{block.offences}</TableCell>
                  <TableCell style={NO_WRAP}>
                    {formatTimeMs(block.blockedAtMs)}
                  </TableCell>
                  <TableCell style={NO_WRAP}>
                    {formatTimeMs(block.expiresAtMs)}
                  </TableCell>
                  <TableCell style={NO_WRAP}>
                    <Button
                      size="small"
                      variant="outlined"
                      disabled={pending === block.clientAddress}
                      aria-label={`Unblock ${block.clientAddress}`}
                      onClick={() => unblock(block.clientAddress)}
                    >
                      Unblock
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </PolledContent>
    </>
  );
}
