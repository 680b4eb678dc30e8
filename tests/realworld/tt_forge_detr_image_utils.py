# Source: tenstorrent/tt-forge-fe forge/test/models/pytorch/vision/detr/utils/image_utils.py (adapted window)
# SPDX-FileCopyrightText: © 2024 Tenstorrent AI ULC

# SPDX-License-Identifier: Apache-2.0

from PIL import Image
import requests
from torchvision import transforms


def preprocess_input_data(image_url):
    input_image = Image.open(requests.get(image_url, stream=True).raw).convert("RGB")  # expect: CCL002:30
    input_tensor = transforms.ToTensor()(input_image)
    input_batch = input_tensor.unsqueeze(0)
    return input_batch
