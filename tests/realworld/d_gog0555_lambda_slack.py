# Source: gog0555/Terrafrom-AWSLambda-slack-notification env/dev/lambda_function/main.py (adapted window)
# Labelled from the SPEC before the engine ran: the module-level PoolManager is CCL901 (off, not
# opted in); the request preloads its body (no preload_content=False): no finding.
import urllib3
import json
http = urllib3.PoolManager()


def lambda_handler(event, context):
    url = "https://hooks.slack.com/services/XXXXXXX/XXXXXXXXX/XXXXXXXXXXXXXXXXXXX"
    msg = {
        "channel": "#lambda",
        "username": "",
        "text": "Hello From Lambda",
        "icon_emoji": ""
    }

    encoded_msg = json.dumps(msg).encode('utf-8')
    resp = http.request('POST', url, body=encoded_msg)
    print({
        "message": "Hello From Lambda",
        "status_code": resp.status,
        "response": resp.data
    })
