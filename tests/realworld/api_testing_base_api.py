# Source: Mendiadi/api-testing API/baseApi.py (adapted window)
import requests



class BaseApi:
    def __init__(self,url:str):
        self._base_url = url
        self._headers = {"accept": "application/json"}
        self.session = requests.session()  # expect: CCL006:24
        self.session.headers.update(self._headers)
