import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useId, useState } from 'react';
import { Alert, observabilityApiRef } from '../../api';

export type AlertAction = 'acknowledge' | 'resolve' | 'silence';

/** Silence lengths offered; the engine takes any duration. */
const SILENCE_DURATIONS: Array<{ value: string; label: string; ms: number }> = [
  { value: '30m', label: '30 minutes', ms: 30 * 60_000 },
  { value: '1h', label: '1 hour', ms: 60 * 60_000 },
  { value: '4h', label: '4 hours', ms: 4 * 60 * 60_000 },
  { value: '1d', label: '1 day', ms: 24 * 60 * 60_000 },
  { value: '7d', label: '7 days', ms: 7 * 24 * 60 * 60_000 },
];

const TITLES: Record<AlertAction, string> = {
  acknowledge: 'Acknowledge alert',
  resolve: 'Resolve alert',
  silence: 'Silence alerts like this one',
};

/**
 * One dialog for the three things a person does to an alert. The engine
 * checks the user's permission; its refusal is shown in the dialog.
 */
export function AlertActionDialog(props: {
  alert: Alert;
  action: AlertAction;
  onClose: () => void;
  onDone: () => void;
}) {
  const { alert, action, onClose, onDone } = props;
  const api = useApi(observabilityApiRef);
  const [text, setText] = useState('');
  const [duration, setDuration] = useState('1h');
  const [chosen, setChosen] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(Object.keys(alert.labels).map(name => [name, true])),
  );
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const textId = useId();

  const matchers = Object.entries(alert.labels)
    .filter(([name]) => chosen[name])
    .map(([name, value]) => ({ name, value }));
  const needsText = action !== 'acknowledge';
  const canSubmit =
    !busy &&
    (!needsText || text.trim() !== '') &&
    (action !== 'silence' || matchers.length > 0);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'acknowledge') {
        await api.acknowledgeAlert(alert.id, text.trim() || undefined);
      } else if (action === 'resolve') {
        await api.resolveAlert(alert.id, text.trim());
      } else {
        await api.createSilence({ matchers, comment: text.trim(), duration });
      }
      onDone();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  const endsAt = new Date(
    Date.now() + SILENCE_DURATIONS.find(d => d.value === duration)!.ms,
  );

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{TITLES[action]}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" gutterBottom>
          {alert.ruleId} on {alert.service}
          {alert.region ? ` in ${alert.region}` : ''}
        </Typography>
        {action === 'silence' && (
          <>
            <Typography variant="subtitle2">Match alerts with</Typography>
            <FormGroup>
              {Object.entries(alert.labels).map(([name, value]) => (
                <FormControlLabel
                  key={name}
                  label={`${name}=${value}`}
                  control={
                    <Checkbox
                      checked={Boolean(chosen[name])}
                      onChange={event =>
                        setChosen({ ...chosen, [name]: event.target.checked })
                      }
                    />
                  }
                />
              ))}
            </FormGroup>
            <TextField
              select
              label="For"
              value={duration}
              margin="normal"
              size="small"
              variant="outlined"
              helperText={`Ends ${endsAt.toISOString()}`}
              onChange={event => setDuration(event.target.value)}
            >
              {SILENCE_DURATIONS.map(d => (
                <MenuItem key={d.value} value={d.value}>
                  {d.label}
                </MenuItem>
              ))}
            </TextField>
          </>
        )}
        <TextField
          id={textId}
          label={
            {
              acknowledge: 'Comment (optional)',
              resolve: 'Reason',
              silence: 'Why silence it',
            }[action]
          }
          value={text}
          required={needsText}
          fullWidth
          multiline
          margin="normal"
          variant="outlined"
          inputProps={{ maxLength: 2000 }}
          onChange={event => setText(event.target.value)}
        />
        {error && (
          <Typography role="alert" color="error" variant="body2">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!canSubmit}
          onClick={submit}
        >
          {
            {
              acknowledge: 'Acknowledge',
              resolve: 'Resolve',
              silence: 'Silence',
            }[action]
          }
        </Button>
      </DialogActions>
    </Dialog>
  );
}
