import test from 'ava';
import { computeSignature, parseAuthorization } from '../src/sigv4.js';

// Vectors from AWS's published SigV4 test suite (get-vanilla, get-vanilla-query-order-key-case).
const vectors = [
  { url: '/', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  { url: '/?Param2=value2&Param1=value1', signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
];

for (const vector of vectors) {
  test(`computes the AWS test-suite signature for GET ${vector.url}`, (t) => {
    const request = {
      method: 'GET',
      url: vector.url,
      headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      body: Buffer.alloc(0),
    };
    const scope = { date: '20150830', region: 'us-east-1', service: 'service', signedHeaders: ['host', 'x-amz-date'] };
    t.is(computeSignature(request, scope, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830T123600Z'), vector.signature);
  });
}

test('parses a SigV4 Authorization header and rejects other schemes', (t) => {
  const header =
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
  t.like(parseAuthorization(header), { accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'ecs', signedHeaders: ['host', 'x-amz-date'] });
  t.is(parseAuthorization('AWS AKIDEXAMPLE:signature'), undefined);
  t.is(parseAuthorization(undefined), undefined);
});
