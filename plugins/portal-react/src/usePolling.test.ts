import { act, renderHook, waitFor } from '@testing-library/react';
import { usePolling } from './usePolling';

describe('usePolling', () => {
  it('asks again every interval and shows the newest answer without a loading state', async () => {
    let calls = 0;
    const load = jest.fn(async () => ++calls);
    const { result } = renderHook(() => usePolling(load, 'k', 50));

    await waitFor(() => expect(result.current.value).toBeDefined());
    const first = result.current.value!;
    expect(result.current.loading).toBe(false);
    await waitFor(() => expect(result.current.value).toBeGreaterThan(first));
    expect(result.current.loading).toBe(false);
  });

  it('drops an answer that arrives after a newer request started', async () => {
    const resolvers: Array<(value: string) => void> = [];
    const load = jest.fn(
      () => new Promise<string>(resolve => resolvers.push(resolve)),
    );
    const { result } = renderHook(() => usePolling(load, 'k', 60_000));

    act(() => result.current.refresh());
    await act(async () => {
      resolvers[1]('newer');
    });
    await act(async () => {
      resolvers[0]('older');
    });
    expect(result.current.value).toBe('newer');
  });

  it('keeps the error of the latest answer', async () => {
    const { result } = renderHook(() =>
      usePolling(() => Promise.reject(new Error('engine down')), 'k', 60_000),
    );
    await waitFor(() =>
      expect(result.current.error?.message).toBe('engine down'),
    );
  });
});
