# Source: jstrickler/20251201jpmc EXAMPLES/post_to_rest.py (adapted window)
from datetime import datetime
import time
import requests

URL = 'http://httpbin.org/post'

for i in range(3):
    response = requests.post(  # POST data to server  # expect: CCL003:16
        URL,
        # json=<json document>,
        data={'date': datetime.now(),
            'label': 'test_' + str(i)
        },
        cookies={'python': 'testing'},
        headers={'X-Python': 'Guido van Rossum'},
    )
    if response.status_code in (requests.codes.OK, requests.codes.created):
        print(response.status_code)
        print(response.text) # response.content converted to str
        print()
        time.sleep(2)
    else:
        print(f"{response.status_code = }")
