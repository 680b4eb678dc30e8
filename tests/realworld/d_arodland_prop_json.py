# Source: arodland/prop assimilate/app/data/json.py (adapted window)
# Labelled from the SPEC before the engine ran: the urlopen response is entered with `with` (no finding).
import urllib.request, json

def get_data(url):
    with urllib.request.urlopen(url) as res:
        return json.loads(res.read().decode())
