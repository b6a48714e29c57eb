import { toBase64, type Bytes } from '../../crypto';

// A reviewer as the review API shows it to other reviewers: public keys in base64url, no secrets.

export function reviewerView(r: {
  id: string;
  name: string;
  role: string;
  boxPublicKey: Bytes;
  signPublicKey: Bytes;
  enrolledOn: string;
}) {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    boxPublicKey: toBase64(r.boxPublicKey),
    signPublicKey: toBase64(r.signPublicKey),
    enrolledOn: r.enrolledOn,
  };
}
