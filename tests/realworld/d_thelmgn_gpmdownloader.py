# Source: theLMGN/GPMDownloader downloader.py (adapted window)
# Labelled from the SPEC before the engine ran: the module-level PoolManager is CCL901 (off by
# default, not opted in); the preload_content=False response is released on the
# happy path only (an exception while writing skips release_conn()): CCL002.
import urllib3
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
http = urllib3.PoolManager()
def download(url,path):
    r = http.request('GET', url, preload_content=False)  # expect: CCL002:9

    with open(path, 'wb') as out:
        while True:
            data = r.read()
            if not data:
                break
            out.write(data)

    r.release_conn()
