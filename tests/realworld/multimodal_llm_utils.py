# Source: SJ9VRF/Multi-Modal-LLM src/utils.py (adapted window)
# Judgement call: the raw stream goes into Image.open() whose image is returned,
# so ownership moves to the caller; not labelled (precision first).
from PIL import Image
import requests

def load_image(url):
    return Image.open(requests.get(url, stream=True).raw)
