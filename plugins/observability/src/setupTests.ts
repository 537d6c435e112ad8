import '@testing-library/jest-dom';

// React Flow measures its nodes and viewport; jsdom lays nothing out, so
// the tests give elements a size and the observers it needs.
class ResizeObserverStub {
  private readonly callback: ResizeObserverCallback;

  constructor(callback: ResizeObserverCallback) {
    this.callback = callback;
  }

  observe(target: Element) {
    // Recharts' ResponsiveContainer reads the entry's contentRect.
    const { offsetWidth: width, offsetHeight: height } = target as HTMLElement;
    this.callback(
      [
        {
          target,
          contentRect: { width, height },
        } as unknown as ResizeObserverEntry,
      ],
      this as unknown as ResizeObserver,
    );
  }

  unobserve() {}

  disconnect() {}
}
(globalThis as any).ResizeObserver = ResizeObserverStub;

class DOMMatrixReadOnlyStub {
  m22: number;

  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([0-9.]+)\)/)?.[1];
    this.m22 = scale !== undefined ? Number(scale) : 1;
  }
}
(globalThis as any).DOMMatrixReadOnly = DOMMatrixReadOnlyStub;

Object.defineProperties(HTMLElement.prototype, {
  offsetHeight: {
    get() {
      return parseFloat(this.style.height) || 1;
    },
  },
  offsetWidth: {
    get() {
      return parseFloat(this.style.width) || 1;
    },
  },
});

(SVGElement.prototype as any).getBBox = () => ({
  x: 0,
  y: 0,
  width: 0,
  height: 0,
});
