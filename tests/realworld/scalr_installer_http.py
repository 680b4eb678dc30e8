# Source: sunhanintech/installer-ng scalr-installer/scalr_installer/library/install/util/http.py (adapted window)
# coding:utf-8
import requests
import shutil


def download(url, dest):
    res = requests.get(url, stream=True)  # expect: CCL002:11
    res.raise_for_status()
    with open(dest, "wb") as f:
        res.raw.decode_content = True
        shutil.copyfileobj(res.raw, f)
