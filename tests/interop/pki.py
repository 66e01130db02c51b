"""pki.py: the suite's test CA and server certificates, made with the openssl command.

Everything lives in the work directory; the machine-wide openssl.cnf is never read for these
(every command gets its own -config or needs none).
"""

import os
import subprocess

CA_CONFIG = """\
[ ca ]
default_ca = interop_ca
[ interop_ca ]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/newcerts
serial = {dir}/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
[ server_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = {sans}
"""


def run(argv):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(argv), proc.stdout.decode(errors="replace")))


def make_pki(directory, names):
    """Makes ca.crt and, for `names` (the MX host names), valid, expired, wrongname and
    selfsigned certificates (NAME.crt + NAME.key). Keys are RSA 2048: the TLS_RSA-only server
    needs an RSA key, and one key type keeps the servers alike."""
    os.makedirs(directory, exist_ok=True)
    os.makedirs(os.path.join(directory, "newcerts"), exist_ok=True)
    p = lambda name: os.path.join(directory, name)
    open(p("index.txt"), "w").close()
    with open(p("serial"), "w") as f:
        f.write("1000\n")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"),
         "-out", p("ca.crt"), "-days", "30", "-subj", "/CN=mxsweep interop test CA",
         "-addext", "basicConstraints=critical,CA:true",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])

    def signed(stem, cn, sans, start, end):
        with open(p(stem + ".cnf"), "w") as f:
            f.write(CA_CONFIG.format(dir=directory, sans=",".join("DNS:" + n for n in sans)))
        run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", p(stem + ".key"),
             "-out", p(stem + ".csr"), "-subj", "/CN=" + cn])
        run(["openssl", "ca", "-batch", "-config", p(stem + ".cnf"), "-extensions", "server_ext",
             "-cert", p("ca.crt"), "-keyfile", p("ca.key"), "-in", p(stem + ".csr"),
             "-out", p(stem + ".crt"), "-notext", "-startdate", start, "-enddate", end])

    signed("valid", names[0], names, "20240101000000Z", "20991231000000Z")
    signed("expired", names[0], names, "20200101000000Z", "20210101000000Z")
    signed("wrongname", "elsewhere.example", ["elsewhere.example"], "20240101000000Z",
           "20991231000000Z")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("selfsigned.key"),
         "-out", p("selfsigned.crt"), "-days", "3650", "-subj", "/CN=" + names[0],
         "-addext", "subjectAltName=" + ",".join("DNS:" + n for n in names)])
    for stem in ("valid", "expired", "wrongname", "selfsigned", "ca"):
        os.chmod(p(stem + ".key"), 0o600)
