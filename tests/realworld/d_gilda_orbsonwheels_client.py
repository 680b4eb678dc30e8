# Source: gilda/OrbsOnWheels network/client.py (adapted window)
# Labelled from the SPEC before the engine ran: the HTTPConnection is never bound to a local name:
# it is handed to a (capitalised) constructor that takes it over, and the class only
# stores a connection it was given (no finding).
from http.client import *

class Client():
    # initiates the connection
    def __init__(self, conn):
        self.conn = conn

    # sends get response to connection and prints the response
    def sendGet(self):
        self.conn.request("GET", "/")
        resp = self.conn.getresponse()
        print(resp.status, resp.reason)
        print(resp.read())

    def sendPOST(self, data):
        self.conn.request("POST", "/", data)
        resp = self.conn.getresponse()
        print(resp.status, resp.reason)
        print(resp.read())

def main():
    connection = Client(HTTPConnection("169.254.1.234", 80))
    connection.sendPOST("GILDA IS POSTING SMTH")

if __name__ == "__main__":
    main()
