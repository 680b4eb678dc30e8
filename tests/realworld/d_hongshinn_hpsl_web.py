# Source: hongshinn/HPSL hpsl/web.py (adapted window)
# Labelled from the SPEC before the engine ran: a bound urlopen response, read and never closed;
# only decoded data is returned: CCL002.
import urllib.request


def web_request(url):
    req = urllib.request.Request(url)
    resp = urllib.request.urlopen(req)  # expect: CCL002:12
    data = resp.read().decode('utf-8')
    return data
