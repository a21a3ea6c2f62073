package jscore_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"jscore.dev/jscore"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
)

// A daemon with TLS and a bearer token: WithTLS and WithToken.
func TestTLSAndToken(t *testing.T) {
	dir := t.TempDir()
	certPEM, keyPEM := selfSignedCert(t)
	certFile, keyFile, tokenFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "token")
	for path, data := range map[string][]byte{certFile: certPEM, keyFile: keyPEM, tokenFile: []byte("s3cret-token-0123456789\n")} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d, err := startDaemonTLS(certFile, keyFile, tokenFile, certPEM)
	if err != nil {
		t.Fatal(err)
	}
	defer d.stop()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	tlsConfig := &tls.Config{RootCAs: roots, ServerName: "localhost"}
	ctx := ctxT(t)

	good, err := jscore.Dial(d.addr, jscore.WithTLS(tlsConfig), jscore.WithToken("s3cret-token-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	if r, err := good.Evaluate(ctx, "6 * 7"); err != nil || r.Value() != 42.0 {
		t.Fatalf("with TLS and token: %v, %v", r, err)
	}

	// The same token as plain metadata, and a dial option passed through.
	viaMD, err := jscore.Dial(d.addr, jscore.WithTLS(tlsConfig),
		jscore.WithMetadata("authorization", "Bearer s3cret-token-0123456789"),
		jscore.WithDialOptions(grpc.WithBlock()))
	if err != nil {
		t.Fatal(err)
	}
	defer viaMD.Close()
	if r, err := viaMD.Evaluate(ctx, "'md'"); err != nil || r.Value() != "md" {
		t.Fatalf("token as metadata: %v, %v", r, err)
	}

	noToken, err := jscore.Dial(d.addr, jscore.WithTLS(tlsConfig))
	if err != nil {
		t.Fatal(err)
	}
	defer noToken.Close()
	if _, err := noToken.Evaluate(ctx, "1"); jscore.Code(err) != codes.Unauthenticated {
		t.Fatalf("without token: %v, want UNAUTHENTICATED", err)
	}
	if s, err := noToken.Health(ctx, ""); err != nil || s != "SERVING" {
		t.Fatalf("health is exempt from the token: %q, %v", s, err)
	}

	wrong, err := jscore.Dial(d.addr, jscore.WithTLS(tlsConfig), jscore.WithToken("nope"))
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if _, err := wrong.Evaluate(ctx, "1"); jscore.Code(err) != codes.Unauthenticated {
		t.Fatalf("wrong token: %v, want UNAUTHENTICATED", err)
	}

	plain, err := jscore.Dial(d.addr, jscore.WithToken("s3cret-token-0123456789"), jscore.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.Evaluate(ctx, "1"); jscore.Code(err) != codes.Unavailable {
		t.Fatalf("plaintext to a TLS daemon: %v, want UNAVAILABLE", err)
	}
}

func startDaemonTLS(certFile, keyFile, tokenFile string, certPEM []byte) (*daemonProcess, error) {
	// startDaemon's readiness probe is plaintext; probe this one with TLS instead.
	return startDaemonWith(func(addr string) error {
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(certPEM)
		c, err := jscore.Dial(addr, jscore.WithTLS(&tls.Config{RootCAs: roots, ServerName: "localhost"}))
		if err != nil {
			return err
		}
		defer c.Close()
		deadline := time.Now().Add(30 * time.Second)
		for {
			s, err := c.Health(ctxBackground(), "")
			if err == nil && s == "SERVING" {
				return nil
			}
			if time.Now().After(deadline) {
				return err
			}
			time.Sleep(50 * time.Millisecond)
		}
	}, "--workers=1", "--tls_cert="+certFile, "--tls_key="+keyFile, "--auth_token_file="+tokenFile)
}

func selfSignedCert(t *testing.T) (certPEM, keyPEM []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}
