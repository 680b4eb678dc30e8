# Source: artemyhai/progress_bar-download_files main.py (adapted window)
# Labeled from the SPEC before the engine ran: the stream is entered with `with`.
import requests
import tqdm


def download_files(url: str, filename: str):
    with open(filename, 'wb') as f:
        with requests.get(url, stream=True) as r:
            r.raise_for_status()
            total = int(r.headers.get('content-length', 0))
            params = {'desc': url, 'total': total, 'unit': 'it', 'unit_scale': True}
            with tqdm.tqdm(**params) as pb:
                for chunk in r.iter_content(chunk_size=8192):
                    pb.update(len(chunk))
                    f.write(chunk)


def main():
    download_files('https://files.example.com/10MB.bin', '10MB.bin')


if __name__ == '__main__':
    main()
