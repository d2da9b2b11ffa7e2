"""The schemas of the original's dialect (``/v1``): the strict ones, read and worded as
Django REST framework read and worded them, and written as it wrote them."""
