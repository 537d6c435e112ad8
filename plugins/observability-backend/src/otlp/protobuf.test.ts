import { decodeExportRequest, ExportLogsServiceRequest } from './protobuf';
import { readLogsRequest } from './readLogsRequest';

describe('decodeExportRequest', () => {
  it('writes 64-bit integers and bytes as OTLP/JSON does', () => {
    const body = ExportLogsServiceRequest.encode(
      ExportLogsServiceRequest.fromObject({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: '1796299200029920898',
                    observedTimeUnixNano: '4000000000',
                    traceId: Buffer.from(
                      '5b8efff798038103d269b633813fc60c',
                      'hex',
                    ),
                    body: { bytesValue: Buffer.from('tms') },
                    attributes: [
                      { key: 'small', value: { intValue: 7 } },
                      { key: 'negative', value: { intValue: -5 } },
                      {
                        key: 'huge',
                        value: { intValue: '-9223372036854775808' },
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).finish();

    const document = decodeExportRequest(ExportLogsServiceRequest, body);
    const [record] = readLogsRequest(document, '0').logRecords;

    expect(record).toEqual(
      expect.objectContaining({
        timeUnixNano: '1796299200029920898',
        observedTimeUnixNano: '4000000000',
        traceId: '5b8efff798038103d269b633813fc60c',
        body: Buffer.from('tms').toString('base64'),
        attributes: {
          small: 7,
          negative: -5,
          huge: '-9223372036854775808',
        },
      }),
    );
  });
});
