/** The annotation that names a catalog component's service in telemetry. */
export const SERVICE_NAME_ANNOTATION = 'tms.example.com/service-name';
