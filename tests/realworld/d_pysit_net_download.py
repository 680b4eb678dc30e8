# Source: pysit/pysit pysit/util/net.py (adapted window)
# Labelled from the SPEC before the engine ran: urllib2.urlopen is not urllib.request.urlopen (the
# Python 2 module is not a tracked library): no finding.
import urllib2
import shutil
import os
import os.path

__all__ = ['download_file']

def download_file(url, destination):

	request = urllib2.urlopen(url)

	with open(destination, 'wb') as outfile:
		shutil.copyfileobj(request, outfile)
