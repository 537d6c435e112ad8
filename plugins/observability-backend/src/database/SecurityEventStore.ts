import { Attributes } from '../otlp/values';
import { TimeWindow } from './TelemetryStore';

/** How many log records of one event share these attribute values. */
export interface EventGroup {
  /** The grouped attributes' values, as text; null when not set. */
  values: Record<string, string | null>;
  count: number;
}

/** One security event as logged. */
export interface SecurityEvent {
  eventName: string;
  timeUs: number;
  attributes: Attributes;
}

/** Reads the security events in the log records the engine stores. */
export interface SecurityEventStore {
  /** Records of each named event in the window. */
  countEvents(
    eventNames: string[],
    window: TimeWindow,
  ): Promise<Record<string, number>>;

  /** Records of one event in the window, grouped by attribute values. */
  groupEvents(
    eventName: string,
    attributes: string[],
    window: TimeWindow,
  ): Promise<EventGroup[]>;

  /** Every record of the named events before the time, oldest first. */
  eventsBefore(
    eventNames: string[],
    beforeMs: number,
  ): Promise<SecurityEvent[]>;
}
