# Source: TheOrangeOne/celly celly/web.py (adapted window)
# Labelled from the SPEC before the engine ran: an inline urlopen(url).read() leaves the response
# open (CCL002, inline form); get_json only passes bytes on.
import json
from urllib.request import urlopen


def get(url):
    return urlopen(url).read()  # expect: CCL002:12

def get_json(url):
    r = get(url)
    return json.loads(r)
