import base64, hashlib, json, sys
"""Checks identity-test-vectors.txt with Python's cryptography package (an independent implementation).

Usage: python3 identity-vectors-check.py [PATH-TO-identity-test-vectors.txt]
"""
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
v={}
for line in open(sys.argv[1] if len(sys.argv) > 1 else 'identity-test-vectors.txt',encoding='utf-8'):
    if line.startswith('#') or not line.strip(): continue
    k,_,x=line.rstrip('\n').partition(' = '); v[k]=x
b64=lambda s: base64.urlsafe_b64decode(s+'='*(-len(s)%4))
H=bytes.fromhex
def F(b): return len(b).to_bytes(4,'big')+b
ok=lambda name,c: print(('OK  ' if c else 'BAD ')+name)
a=Ed25519PrivateKey.from_private_bytes(H(v['alice.seed'])); b=Ed25519PrivateKey.from_private_bytes(H(v['bob.seed']))
raw=lambda k: k.public_key().public_bytes_raw()
ok('alice.idkey', raw(a)==b64(v['alice.idkey']))
fp=hashlib.sha256(raw(a)).hexdigest()[:32]; ok('fingerprint','-'.join(fp[i:i+4] for i in range(0,32,4))==v['alice.fingerprint'])
ae=X25519PrivateKey.from_private_bytes(H(v['alice.ephemeral.secret'])); be=X25519PrivateKey.from_private_bytes(H(v['bob.ephemeral.secret']))
ok('ephkeys', ae.public_key().public_bytes_raw()==b64(v['request.ephkey']) and be.public_key().public_bytes_raw()==b64(v['accept.ephkey']))
def half(feat,name,host,port,idk,eph,nonce): return F(b''.join(F(x.encode()) for x in feat.split(',')))+F(name.encode())+F(host.encode())+F(str(port).encode())+F(idk)+F(eph)+F(nonce)
T=F(b'p2pchat-identity-v1/transcript')+half('identity-v1','alice','localhost',30001,raw(a),b64(v['request.ephkey']),H(v['alice.nonce']))+half('identity-v1','bob','localhost',30002,raw(b),b64(v['accept.ephkey']),H(v['bob.nonce']))
ok('transcript', T.hex()==v['transcript.hex'])
ok('accept.sig', b.sign(b'p2pchat-identity-v1/accept\0'+T)==b64(v['accept.sig']))
ok('confirm.sig', a.sign(b'p2pchat-identity-v1/confirm\0'+T)==b64(v['confirm.sig']))
ss=ae.exchange(be.public_key()); ok('shared', ss.hex()==v['x25519.shared'])
okm=HKDF(hashes.SHA256(),64,hashlib.sha256(T).digest(),b'p2pchat-identity-v1/session-keys').derive(ss)
ok('keys', okm[:32].hex()==v['key.initiator-to-responder'] and okm[32:].hex()==v['key.responder-to-initiator'])
def ad(t,s,r): return F(b'p2pchat-identity-v1/message')+F(t.encode())+F(s.encode())+F(r.encode())
n=lambda seq: b'\0'*4+seq.to_bytes(8,'big')
ok('message0', ChaCha20Poly1305(okm[:32]).encrypt(n(0),v['message0.plaintext'].encode(),ad('CHAT_MESSAGE','alice','bob'))==b64(v['message0.box']))
ok('reply0', ChaCha20Poly1305(okm[32:]).encrypt(n(0),b'{}',ad('DISCONNECT','bob','alice'))==b64(v['reply0.box']))
def canon(o): return json.dumps(o,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()
exitd={"peername":"alice","ts":1767225600000,"nonce":"AAECAwQFBgcICQoLDA0ODw"}
sb=b'p2pchat-identity-v1/message\0'+canon({"msgtype":"EXIT_NETWORK","msgdata":exitd})
ok('exit bytes', sb.decode()==v['exit.signing-bytes'].replace('\\0','\0')); ok('exit.sig', a.sign(sb)==b64(v['exit.sig']))
rep={"peerlist":{"zoë":["127.0.0.1",30003],"alice":["localhost",30001]},"idkey":v["bob.idkey"],"to":"alice","re":"AAECAwQFBgcICQoLDA0ODw"}
sb=b'p2pchat-identity-v1/message\0'+canon({"msgtype":"LISTPEER","msgdata":rep})
ok('listpeer bytes', sb.decode()==v['listpeer-reply.signing-bytes'].replace('\\0','\0')); ok('listpeer.sig', b.sign(sb)==b64(v['listpeer-reply.sig']))
R=b'p2pchat-identity-v1/refuse\0'+F(b'p2pchat-identity-v1/transcript')+half('identity-v1','alice','localhost',30001,raw(a),b64(v['request.ephkey']),H(v['alice.nonce']))+F(b'bob')+F(b'localhost')+F(b'30002')+F(raw(b))
ok('refuse.sig', b.sign(R)==b64(v['refuse.sig']))
