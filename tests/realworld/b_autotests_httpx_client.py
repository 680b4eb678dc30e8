# Source: student65535/autotests-api test_httpx_client.py (adapted window)
# realworld: CCL901 (this window opts in to the off-by-default rule)
import httpx

with httpx.Client() as client:
    response1 = client.get("https://jsonplaceholder.typicode.com/todos/1")
    response2 = client.get("https://jsonplaceholder.typicode.com/todos/2")

print(response1.json())  # Данные первой задачи
print(response2.json())  # Данные второй задачи


#Добавление базовых заголовков в Client
client = httpx.Client(headers={"Authorization": "Bearer my_secret_token"})  # expect: CCL901:10

response = client.get("https://httpbin.org/get")

print(response.json())  # Заголовки включены в ответ
client.close()
