# Source: Crazedpeanut/kiosk kiosk_client_v2/kiosk_http.py (adapted window)
# Labelled from the SPEC before the engine ran: the HTTPConnection is closed on the happy path
# only; an exception in request()/getresponse() skips conn.close(): CCL001.
import http.client
import urllib

def http_request(host, port, method, resource, data):
	print("debug", data)
	params = urllib.parse.urlencode(data)
	headers = {"Content-type": "application/x-www-form-urlencoded","Accept": "text/plain"}
	conn = http.client.HTTPConnection(host, port)  # expect: CCL001:9
	conn.set_debuglevel(0)
	conn.request(method, resource, params, headers)
	response = conn.getresponse()
	result = response.read()
	conn.close()

	return result
