# Source: BillyClassTime/EOI-IntroProgramacionPython Ejercicios/APIRESTful/archivoimagen.py (adapted window)
# Labelled from the SPEC before the engine ran: a stream=True response closed on the happy path
# only (an exception while writing skips response.close()): CCL002.
import requests


if __name__ == '__main__':
    url = 'http://www.python.org/images/success/nasa.jpg'

    response = requests.get(url, stream=True)  # expect: CCL002:16
    
    with open('image.jpg', 'wb') as file:
        for chuck in response.iter_content():
            file.write(chuck)

    response.close()
