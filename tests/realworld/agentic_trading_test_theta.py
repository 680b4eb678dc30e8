# Source: coldtigerqd/agentic_trading scripts/test_theta.py (adapted window)
import httpx  # install via pip install httpx
import csv
import io

BASE_URL = "http://localhost:25503/v3"  # all endpoints use this URL base

# set params
params = {
}

#
# This is the streaming version, and will read line-by-line
#
url = BASE_URL + '/stock/list/symbols'


with httpx.stream("GET", url, params=params, timeout=60) as response:
    response.raise_for_status()  # make sure the request worked
    for line in response.iter_lines():
        for row in csv.reader(io.StringIO(line)):
            print(row)  # Now you get a parsed list of fields
