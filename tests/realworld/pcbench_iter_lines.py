# Source: PCART-tools/PCBench Benchmark/requests/requests.Response.iter_lines@2.4.3-2.5.0/requests.Response.iter_lines (adapted window)
import requests
url = 'https://example.com/data'
response = requests.get(url, stream=True)  # expect: CCL002:12
lst = response.iter_lines(512,  False)
for line in lst:
    if line:
        print(line)
